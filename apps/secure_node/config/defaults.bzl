"""The node's sizing for each board: the one place a board's defaults live.

A board image (or a host build, under "host") is sized by this table unless
the build overrides a value with a flag of //apps/secure_node/config (see
README.md, "Configuring a board"). A changed default changes the board's
image, so the release budget of that board (apps/release/budgets) is
reviewed in the same change.

  pool_block_sizes  the node's buffer pool size classes, ascending, in bytes;
                    the largest must hold a full encoded frame (4,150 B or
                    more)
  pool_blocks       blocks per size class, one count per class: together
                    they bound the messages in flight over all peers
  key_slots         workspace key slots (and as many sessions): the peers
                    whose keys are held before a key is derived again
  workspace_buffer_bytes  each of the workspace's 5 buffers, which the node
                    does not lease: a whole number of cache lines above a
                    16 B tag. 64 B is the smallest on the mps3_an536's
                    64-byte lines; the versatilepb_r5f's 32-byte lines would
                    allow 32 B (160 B less RAM)
"""

NODE_SIZING_DEFAULTS = {
    # Host builds: unit tests, the provisioning tool.
    "host": {
        "pool_block_sizes": [64, 256, 1024, 4160],
        "pool_blocks": [16, 16, 8, 6],
        "key_slots": 16,
        "workspace_buffer_bytes": 64,
    },
    "mps3_an536": {
        "pool_block_sizes": [64, 256, 1024, 4160],
        "pool_blocks": [16, 16, 8, 6],
        "key_slots": 16,
        "workspace_buffer_bytes": 64,
    },
    "versatilepb_r5f": {
        "pool_block_sizes": [64, 256, 1024, 4160],
        "pool_blocks": [16, 16, 8, 6],
        "key_slots": 16,
        "workspace_buffer_bytes": 64,
    },
}

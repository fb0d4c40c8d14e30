"""The emulated boards the project builds for.

Adding a board: a platform in //platforms, a board support package in
//platforms/<board>, an entry here, and its QEMU options in
//platforms/qemu:run_firmware.sh (see README.md, "Adding a board").
"""

BOARDS = [
    "mps3_an536",
    "versatilepb_r5f",
]

def board_platform(board):
    return "//platforms:" + board

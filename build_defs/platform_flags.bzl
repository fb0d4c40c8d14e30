"""What the board and fuzz transitions share: another --platforms, with the
host build's sanitizer flags (--config=asan/--config=tsan) left out, since
the target's toolchain brings its own set or has no sanitizer runtime."""

# Options every such transition reads and writes.
PLATFORM_FLAG_INPUTS = [
    "//command_line_option:copt",
    "//command_line_option:linkopt",
]
PLATFORM_FLAG_OUTPUTS = ["//command_line_option:platforms"] + PLATFORM_FLAG_INPUTS

def is_sanitizer_flag(flag):
    return flag.startswith("-fsanitize") or flag.startswith("-fno-sanitize")

def platform_without_flags(settings, platform, is_dropped):
    """The transition's result: `platform`, copt and linkopt minus is_dropped."""
    return {
        "//command_line_option:platforms": platform,
        "//command_line_option:copt": [
            f
            for f in settings["//command_line_option:copt"]
            if not is_dropped(f)
        ],
        "//command_line_option:linkopt": [
            f
            for f in settings["//command_line_option:linkopt"]
            if not is_dropped(f)
        ],
    }

#!/bin/sh
echo "bazel coverage is not supported in this offline build (no coverage tools are packaged)." >&2
exit 1

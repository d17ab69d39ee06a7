#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded here: generate does not
# need it, and any command that would must fail loudly rather than do nothing.
echo "native schema engine unavailable: use npm run pushdeck -- migrate" >&2
exit 1

#!/usr/bin/env bash
# Runs the Pulumi CLI for the Nx targets that need it (preview, up, refresh, destroy, plugins), or says how
# to install it instead of "/bin/sh: 1: pulumi: not found".
#
#   bash scripts/pulumi.sh <pulumi arguments>...   runs `pulumi <arguments>`
#   bash scripts/pulumi.sh install-plugins         installs the exact AWS provider plugin version that
#                                                  node_modules/@pulumi/aws declares
#
# Why install-plugins: the CLI looks for a program's required plugins only under the program folder, and
# npm hoists @pulumi/aws to the repository's node_modules, so the plugin would otherwise be downloaded
# lazily at run time (which fails where automatic plugin acquisition is off, as in many CI setups).
set -euo pipefail

if ! command -v pulumi >/dev/null 2>&1; then
  # printf is a shell builtin: this message must print even when PATH holds nothing else.
  printf '%s\n' \
    "pulumi.sh: cannot run \"pulumi $*\": the Pulumi CLI is not on PATH." \
    'Install it (https://www.pulumi.com/docs/iac/download-install/):' \
    '  Linux, macOS:  curl -fsSL https://get.pulumi.com | sh    (then add ~/.pulumi/bin to PATH, or open a new shell)' \
    '  macOS:         brew install pulumi/tap/pulumi' \
    '  Windows:       winget install pulumi' \
    'Then run the target again. The offline preview and the tests need no Pulumi CLI: npm start, npm test.' >&2
  exit 127
fi

if [ "${1:-}" = "install-plugins" ]; then
  # The plugin version the SDK package declares (package.json "pulumi.version", else its own version),
  # resolved from the current folder as the program resolves @pulumi/aws.
  version="$(node -e '
    const path = require("node:path");
    let file;
    try { file = path.join(path.dirname(require.resolve("@pulumi/aws", { paths: [process.cwd()] })), "package.json"); }
    catch { console.error(`pulumi.sh: @pulumi/aws is not installed where ${process.cwd()} resolves packages; run npm ci first.`); process.exit(2); }
    const pkg = require(file);
    const v = (pkg.pulumi && pkg.pulumi.version) || pkg.version;
    if (!/^\d+\.\d+\.\d+/.test(String(v))) { console.error(`pulumi.sh: ${file} declares no plugin version (pulumi.version or version), found ${JSON.stringify(v)}.`); process.exit(2); }
    process.stdout.write(String(v));
  ')"
  exec pulumi plugin install resource aws "$version"
fi

exec pulumi "$@"

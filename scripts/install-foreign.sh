#!/usr/bin/env bash
# Install what the foreign-client tests (tests/foreign/) run: Debian's PHP CLI with the curl
# extension. Node.js is expected already (the canonical-JSON tests need it too).
# Idempotent and non-interactive: apt-get runs only when `php` is missing or has no curl extension.
# Safe to run in CI as root (uses sudo when not root and available).
set -euo pipefail

have_php_curl() {
    command -v php >/dev/null 2>&1 && php -r 'exit(function_exists("curl_init") ? 0 : 1);' >/dev/null 2>&1
}

if have_php_curl; then
    echo "install-foreign: $(php -r 'echo "PHP ", PHP_VERSION, " with curl ", curl_version()["version"];') already present"
else
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            SUDO="sudo"
        else
            echo "install-foreign: need root (or sudo) to apt-get install php-cli php-curl" >&2
            exit 1
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends php-cli php-curl
    if ! have_php_curl; then
        echo "install-foreign: apt-get finished but php with the curl extension is still missing" >&2
        exit 1
    fi
    echo "install-foreign: installed $(php -r 'echo "PHP ", PHP_VERSION, " with curl ", curl_version()["version"];')"
fi

if ! command -v node >/dev/null 2>&1; then
    echo "install-foreign: warning: node is not on PATH; tests/foreign/test_node_client.py needs Node.js >= 18" >&2
fi

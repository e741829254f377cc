#!/usr/bin/env bash
# Start a private Virtuoso 7 (Debian: apt-get install virtuoso-opensource) in the foreground.
#   scripts/virtuoso/start.sh DIR [HTTP_PORT=8890] [SQL_PORT=1111]
# Everything lives in DIR; both ports are bound to 127.0.0.1. The fresh database's
# administrator is dba / dba: keep this instance on loopback, or change the password with
#   isql-vt 127.0.0.1:SQL_PORT dba dba exec="SET PASSWORD dba <new>;"
# consultgraph then talks to it with:
#   --sparql-url        http://127.0.0.1:HTTP_PORT/sparql
#   --sparql-update-url http://127.0.0.1:HTTP_PORT/sparql-auth        (HTTP Digest)
#   --gsp-url           http://127.0.0.1:HTTP_PORT/sparql-graph-crud-auth
#   --sparql-user dba --sparql-password dba
set -euo pipefail
dir=$(mkdir -p "${1:?usage: start.sh DIR [HTTP_PORT] [SQL_PORT]}" && cd "$1" && pwd)
http_port=${2:-8890}
sql_port=${3:-1111}
here=$(cd "$(dirname "$0")" && pwd)
binary=$(command -v virtuoso-t || true)
if [ -z "$binary" ]; then
  echo "virtuoso-t not found: apt-get install virtuoso-opensource" >&2
  exit 127
fi
sed -e "s|@DIR@|$dir|g" -e "s|@HTTP_PORT@|$http_port|g" -e "s|@SQL_PORT@|$sql_port|g" \
  "$here/virtuoso.ini.template" > "$dir/virtuoso.ini"
cd "$dir"
exec "$binary" +foreground +configfile "$dir/virtuoso.ini"

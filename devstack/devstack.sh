#!/bin/sh
# Builds the devstack module and runs PostgreSQL + Kafka until Ctrl-C.
# Arguments go to io.pando.devstack.DevStackMain, e.g.
#   devstack/devstack.sh --data-dir=.data/devstack --database=pando --topic=aggregation-jobs:4
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp -pl devstack -am package -DskipTests
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" -cp "devstack/target/classes:$(cat devstack/target/classpath.txt)" \
  io.pando.devstack.DevStackMain "$@"

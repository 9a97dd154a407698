#!/bin/sh
# veilleur: says who it runs as, then refreshes /tmp/battement every 2 seconds.
# The image's HEALTHCHECK looks at that file: while it exists, the container is healthy.
echo "veilleur: awake as $(id -un) (uid $(id -u))"
while true; do
  date > /tmp/battement
  sleep 2
done

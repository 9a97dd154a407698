#!/bin/sh
# A draft that has nothing to do in the image.
echo "just trying"

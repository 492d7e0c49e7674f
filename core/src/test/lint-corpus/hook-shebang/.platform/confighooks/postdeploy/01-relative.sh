#!bash
echo "relative"

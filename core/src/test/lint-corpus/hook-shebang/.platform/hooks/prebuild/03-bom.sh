#!/bin/bash
echo "bom"

#!/bin/sh
exec python tasks.py

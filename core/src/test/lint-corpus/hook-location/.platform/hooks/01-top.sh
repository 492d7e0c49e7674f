#!/bin/bash
echo misplaced

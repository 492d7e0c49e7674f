#!/bin/bash
echo typo

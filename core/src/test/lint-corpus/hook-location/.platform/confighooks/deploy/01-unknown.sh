#!/bin/bash
echo unknown

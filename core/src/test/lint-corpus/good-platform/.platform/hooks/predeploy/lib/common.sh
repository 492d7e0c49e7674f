greet() { echo hi; }

int other_helper(int x) { return x + 1; }

import sys, time, cProfile, pstats
sys.path.insert(0, "bench")
sys.argv = ["reach.py", "--only", "digests", "--users", "10", "--runs", "1"]
import reach
cProfile.run("reach.main()", ".scratch/prof.out")
p = pstats.Stats(".scratch/prof.out"); p.sort_stats("cumulative").print_stats(35)

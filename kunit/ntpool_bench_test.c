// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "ntpool_bench": runs the benchmark in UML (make bench).  It
 * measures rather than tests: it passes when every case ran.
 */
#include <kunit/test.h>
#include "views/bench.h"

static void run_benchmark(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ntpool_bench_run(false), 0);
}

static struct kunit_case ntpool_bench_cases[] = {
	KUNIT_CASE_SLOW(run_benchmark),
	{}
};

static struct kunit_suite ntpool_bench_suite = {
	.name = "ntpool_bench",
	.test_cases = ntpool_bench_cases,
};

kunit_test_suite(ntpool_bench_suite);

MODULE_DESCRIPTION("ntpool's benchmark, as a KUnit suite");
MODULE_LICENSE("GPL");

#!/usr/bin/awk -f
# SPDX-License-Identifier: GPL-2.0
#
# Joins the guest's "ntpool-bench: insns: N WHAT PAIRS" lines with the
# insn-count plugin's "ntpool-insns: N COUNT" lines (same N) and prints,
# for each ntpool batch and the baseline batch after it:
#   case,ntpool insns/pair,baseline,baseline insns/pair,ratio
/ntpool-insns: [0-9]+ [0-9]+/ {
	sub(/.*ntpool-insns: /, "")
	count[$1] = $2
}
/ntpool-bench: insns: [0-9]+ / {
	sub(/.*ntpool-bench: insns: /, "")
	n = $1
	pairs[n] = $NF
	$1 = ""; $NF = ""
	gsub(/^ +| +$/, "")
	what[n] = $0
	if (n + 1 > batches)
		batches = n + 1
}
END {
	for (n = 0; n + 1 < batches; n += 2) {
		if (!(n in count) || !((n + 1) in count)) {
			printf "%s,no count,%s,no count,\n", what[n], what[n + 1]
			continue
		}
		a = count[n] / pairs[n]
		b = count[n + 1] / pairs[n + 1]
		printf "%s,%.0f,%s,%.0f,%.2f\n", what[n], a, what[n + 1], b, a / b
	}
}

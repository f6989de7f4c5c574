// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the list parser and the pattern syntax.
 * Invariants: no crash or sanitizer report on any input; every accepted
 * entry is canonical (parsing its printed form gives the same entry back)
 * and its ports are valid ranges; an entry's @set string is canonical
 * too, and fits EGRESSFW_RULE_A_SET.
 */
// seeds: lists tests/data/lists
// The list parser works line by line: an input longer than a few lines
// adds nothing a shorter one does not, and the real lists among the
// seeds would make every input as long as they are (libFuzzer's default
// max_len is the longest seed).
// options: -max_len=512
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "pattern.h"

static void check_canonical(const struct efw_pattern *p)
{
	struct efw_pattern again;
	char text[128];
	const char *s = p->name, *msg;
	size_t len = p->name_len, off;

	if (p->kind == EFW_KIND_CIDR4 || p->kind == EFW_KIND_CIDR6) {
		efw_cidr_format(p, text, sizeof(text));
		s = text;
		len = strlen(text);
	} else if (p->name[p->name_len] != '\0' || p->name_len > EFW_NAME_MAX ||
		   strlen(p->name) != p->name_len) {
		abort();
	}
	if (efw_pattern_parse(s, len, &again, &msg, &off))
		abort();
	if (again.kind != p->kind || again.prefix_len != p->prefix_len ||
	    again.name_len != p->name_len ||
	    memcmp(again.name, p->name, p->name_len) ||
	    memcmp(again.addr, p->addr, sizeof(p->addr)))
		abort();
}

static void check_set(const char *set)
{
	char again[EGRESSFW_SET_MAX];
	const char *msg;
	size_t off;

	if (strlen(set) >= EGRESSFW_SET_MAX ||
	    efw_set_spec_parse(set, strlen(set), again, &msg, &off) ||
	    strcmp(again, set))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char canon[EGRESSFW_SET_MAX];
	struct efw_pattern p;
	struct efw_list list;
	const char *msg;
	size_t off;
	u32 i, k;

	/* The whole input as one pattern. */
	if (efw_pattern_parse((const char *)data, size, &p, &msg, &off) == 0)
		check_canonical(&p);
	else if (!msg || off > size)
		abort();
	/* The whole input as @set's arguments. */
	if (efw_set_spec_parse((const char *)data, size, canon, &msg, &off) == 0)
		check_set(canon);
	else if (!msg || off > size)
		abort();

	/* The whole input as a list file. */
	efw_list_init(&list, NULL);
	efw_list_parse_buffer(&list, "fuzz.list", (const char *)data, size);
	for (i = 0; i < list.n_rules; i++) {
		const struct efw_list_rule *r = &list.rules[i];
		const struct efw_port_range *pr = efw_list_rule_ports(&list, r);

		check_canonical(&r->pattern);
		if (r->set)
			check_set(efw_list_rule_set(&list, r));
		if (r->n_ports == 0 || r->n_ports > EFW_LIST_MAX_PORTS)
			abort();
		for (k = 0; k < r->n_ports; k++) {
			if (pr[k].lo == 0 || pr[k].lo > pr[k].hi ||
			    (pr[k].proto != EFW_PROTO_TCP && pr[k].proto != EFW_PROTO_UDP))
				abort();
			/* sorted and merged */
			if (k > 0 && pr[k - 1].proto == pr[k].proto &&
			    (u32)pr[k - 1].hi + 1 >= pr[k].lo)
				abort();
		}
	}
	efw_list_free(&list);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The GET_RULES dump, retried until it is one ruleset's, see rules.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "rules.h"

/* Reads retried when a load or flush races them. */
#define READ_TRIES 5

static void clear(struct efw_rules *rows)
{
	size_t i;

	for (i = 0; i < rows->n; i++) {
		free(rows->v[i].source);
		free(rows->v[i].pattern);
		free(rows->v[i].ports);
		free(rows->v[i].set);
	}
	rows->n = 0;
	rows->mixed = false;
	rows->have_gen = false;
}

static int ports_text(const struct nlattr *attr, char **out)
{
	struct efw_port_range r[EFW_LIST_MAX_PORTS];
	const struct egressfw_port_range *wire = mnl_attr_get_payload(attr);
	uint16_t len = mnl_attr_get_payload_len(attr);
	char text[EFW_LIST_MAX_PORTS * 16];
	uint32_t i, n = len / sizeof(*wire);

	if (len % sizeof(*wire) || n > EFW_LIST_MAX_PORTS)
		return -EPROTO;
	for (i = 0; i < n; i++) {
		struct egressfw_port_range w;

		/* The payload is only 4-byte aligned: copy, do not cast. */
		memcpy(&w, wire + i, sizeof(w));
		r[i].proto = w.proto;
		r[i].lo = w.lo;
		r[i].hi = w.hi;
	}
	efw_ports_format(r, n, text, sizeof(text));
	*out = strdup(text);
	return *out ? 0 : -ENOMEM;
}

static int parse_rule(const struct nlattr *nest, struct efw_rule_row *row)
{
	static const enum mnl_attr_data_type policy[EGRESSFW_RULE_A_MAX + 1] = {
		[EGRESSFW_RULE_A_ID] = MNL_TYPE_U32,
		[EGRESSFW_RULE_A_PATTERN] = MNL_TYPE_NUL_STRING,
		[EGRESSFW_RULE_A_PORTS] = MNL_TYPE_BINARY,
		[EGRESSFW_RULE_A_SOURCE] = MNL_TYPE_NUL_STRING,
		[EGRESSFW_RULE_A_ALLOWED] = MNL_TYPE_U64,
		[EGRESSFW_RULE_A_LAST_HIT] = MNL_TYPE_U64,
		[EGRESSFW_RULE_A_LEARNED] = MNL_TYPE_U32,
		[EGRESSFW_RULE_A_ALLOWED_DNS] = MNL_TYPE_U64,
		[EGRESSFW_RULE_A_SET] = MNL_TYPE_NUL_STRING,
	};
	const struct nlattr *tb[EGRESSFW_RULE_A_MAX + 1];
	int err;

	if (efw_nl_parse_nested(nest, policy, EGRESSFW_RULE_A_MAX, tb) ||
	    !tb[EGRESSFW_RULE_A_ID] || !tb[EGRESSFW_RULE_A_PATTERN] ||
	    !tb[EGRESSFW_RULE_A_PORTS])
		return -EPROTO;
	memset(row, 0, sizeof(*row));
	err = ports_text(tb[EGRESSFW_RULE_A_PORTS], &row->ports);
	if (err)
		return err;
	row->id = mnl_attr_get_u32(tb[EGRESSFW_RULE_A_ID]);
	row->pattern = strdup(mnl_attr_get_str(tb[EGRESSFW_RULE_A_PATTERN]));
	row->source = strdup(tb[EGRESSFW_RULE_A_SOURCE] ?
			     mnl_attr_get_str(tb[EGRESSFW_RULE_A_SOURCE]) : "-");
	if (tb[EGRESSFW_RULE_A_ALLOWED])
		row->allowed = mnl_attr_get_u64(tb[EGRESSFW_RULE_A_ALLOWED]);
	row->last_hit = -1;
	if (tb[EGRESSFW_RULE_A_LAST_HIT])
		row->last_hit = (int64_t)(mnl_attr_get_u64(tb[EGRESSFW_RULE_A_LAST_HIT]) &
					  INT64_MAX);
	if (tb[EGRESSFW_RULE_A_LEARNED])
		row->learned = mnl_attr_get_u32(tb[EGRESSFW_RULE_A_LEARNED]);
	if (tb[EGRESSFW_RULE_A_ALLOWED_DNS])
		row->allowed_dns = mnl_attr_get_u64(tb[EGRESSFW_RULE_A_ALLOWED_DNS]);
	if (tb[EGRESSFW_RULE_A_SET] && *mnl_attr_get_str(tb[EGRESSFW_RULE_A_SET]))
		row->set = strdup(mnl_attr_get_str(tb[EGRESSFW_RULE_A_SET]));
	if (!row->pattern || !row->source ||
	    (tb[EGRESSFW_RULE_A_SET] && *mnl_attr_get_str(tb[EGRESSFW_RULE_A_SET]) && !row->set)) {
		free(row->pattern);
		free(row->source);
		free(row->ports);
		free(row->set);
		return -ENOMEM;
	}
	return 0;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type policy[EGRESSFW_A_MAX + 1] = {
		[EGRESSFW_A_GENERATION] = MNL_TYPE_U32,
		[EGRESSFW_A_RULE] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[EGRESSFW_A_MAX + 1];
	struct efw_rules *rows = data;
	uint32_t gen;
	int err;

	if (efw_nl_parse(nlh, policy, EGRESSFW_A_MAX, tb) || !tb[EGRESSFW_A_RULE])
		return -EPROTO;
	if (tb[EGRESSFW_A_GENERATION]) {
		gen = mnl_attr_get_u32(tb[EGRESSFW_A_GENERATION]);
		if (rows->have_gen && gen != rows->generation)
			rows->mixed = true;
		rows->generation = gen;
		rows->have_gen = true;
	}
	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 256;
		struct efw_rule_row *v = realloc(rows->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		rows->v = v;
		rows->cap = cap;
	}
	err = parse_rule(tb[EGRESSFW_A_RULE], &rows->v[rows->n]);
	if (err)
		return err;
	rows->n++;
	return 0;
}

static int dump_rules(struct efw_nl *nl, struct efw_rules *rows)
{
	char buf[EFW_NL_TX_SIZE] __attribute__((aligned(8)));
	int tries, err;

	for (tries = 0; tries < EFW_NL_DUMP_TRIES; tries++) {
		clear(rows);
		err = efw_nl_request(nl, efw_nl_msg(nl, buf, EGRESSFW_CMD_GET_RULES,
						    NLM_F_DUMP), rule_cb, rows);
		if (err != -EINTR && !rows->mixed)
			return err;
	}
	return -EINTR;
}

/*
 * The rules and whether there are any, consistently: GET_STATS before and
 * after the dump tell a flush or load that raced it, which the dump alone
 * cannot when a ruleset has no rules to carry the generation.
 */
static int read_consistent(struct efw_nl *nl, struct efw_rules *rows,
			   struct efw_stats *after)
{
	struct efw_stats before;
	int tries, err;

	for (tries = 0; tries < READ_TRIES; tries++) {
		clear(rows);
		err = efw_stats_get(nl, &before);
		if (err)
			return err;
		rows->loaded = before.loaded;
		if (!before.loaded) {
			*after = before;
			return 0;
		}
		err = dump_rules(nl, rows);
		if (err)
			return err;
		err = efw_stats_get(nl, after);
		if (err)
			return err;
		if (after->generation == before.generation && after->loaded &&
		    (!rows->have_gen || rows->generation == before.generation))
			return 0;
	}
	return -EINTR;
}

static int cmp_row(const void *a, const void *b)
{
	const struct efw_rule_row *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

int efw_rules_read(struct efw_nl *nl, struct efw_rules *rules,
		   struct efw_stats *st)
{
	struct efw_stats local;
	int err;

	err = read_consistent(nl, rules, st ? st : &local);
	if (!err && rules->n)
		qsort(rules->v, rules->n, sizeof(*rules->v), cmp_row);
	return err;
}

void efw_rules_free(struct efw_rules *rules)
{
	clear(rules);
	free(rules->v);
	rules->v = NULL;
	rules->cap = 0;
}

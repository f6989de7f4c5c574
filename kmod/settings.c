// SPDX-License-Identifier: GPL-2.0
/*
 * The table of settings.h, built from its list. Shared by the module and
 * egressctl.
 */
#include "settings.h"

#define EFW_U32_ROW_(id, k, j, d, lo, hi, uhi, u) \
	{ .kind = EFW_SETTING_U32, .attr = EGRESSFW_CFG_A_##id, .key = k, \
	  .json = j, .def = d, .min = lo, .max = hi, .user_max = uhi, .unit = u },
#define EFW_CHOICE_ROW_(id, k, d, n0, n1, jb) \
	{ .kind = EFW_SETTING_CHOICE, .attr = EGRESSFW_CFG_A_##id, .key = k, \
	  .json = k, .def = d, .min = 0, .max = 1, .names = { n0, n1 }, \
	  .json_bool = jb },
#define EFW_LIST_ROW_(id, k, j) \
	{ .kind = EFW_SETTING_LIST, .attr = EGRESSFW_CFG_A_##id, .key = k, \
	  .json = j },

const struct efw_setting efw_settings[] = {
	EFW_SETTING_LIST(EFW_U32_ROW_, EFW_CHOICE_ROW_, EFW_LIST_ROW_)
};
const unsigned int efw_n_settings = sizeof(efw_settings) / sizeof(efw_settings[0]);

const struct efw_setting *efw_setting_by_attr(unsigned int attr)
{
	unsigned int i;

	for (i = 0; i < efw_n_settings; i++)
		if (efw_settings[i].attr == attr)
			return &efw_settings[i];
	return NULL;
}

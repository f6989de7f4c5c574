/* SPDX-License-Identifier: GPL-2.0 */
/* Kbuild passes the version from git or ./VERSION; a bare build says so. */
#ifndef EGRESSFW_VERSION_H
#define EGRESSFW_VERSION_H
#ifdef EGRESSFW_VERSION
#define EGRESSFW_MODULE_VERSION EGRESSFW_VERSION
#else
#define EGRESSFW_MODULE_VERSION "unknown"
#endif
#endif

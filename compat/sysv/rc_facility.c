/* rc_facility — LSB facilities as events.  See rc_facility.h. */
#include "sysv/rc_facility.h"

#include <stdlib.h>
#include <string.h>

static const char *const local_fs_events[] = { "local-filesystems", "all-swaps", NULL };
static const char *const remote_fs_events[] = { "remote-filesystems", "filesystem", NULL };
static const char *const network_events[] = {
	"net-device-up IFACE=lo", "static-network-up", NULL,
};

static const struct {
	const char        *facility;
	const char *const *events;
} known[] = {
	{ "$local_fs", local_fs_events },
	{ "$remote_fs", remote_fs_events },
	{ "$network", network_events },
};

/* Facilities inside facilities: a loop in a broken insserv.conf ends
 * here. */
#define MAX_NESTING 8

static bool
step_provides(const RcStep *step, const StrList *provides, const char *name)
{
	if (!provides || !provides->len)
		return !strcmp(step->name, name);
	for (size_t i = 0; i < provides->len; i++)
		if (!strcmp(provides->items[i], name))
			return true;
	return false;
}

/* Mark the steps that provide a member of `facility`. */
static void
mark_providers(RcFacilityWatch *w, const RcPhase *phase, const InsservConf *conf,
	       const StrList *const *provides, const char *facility, int depth)
{
	const InsservEntry *e = insserv_conf_find(conf, facility);

	if (!e || depth > MAX_NESTING)
		return;
	for (size_t m = 0; m < e->members.len; m++) {
		const char *member = e->members.items[m];

		if (member[0] == '+')
			member++;
		if (member[0] == '$') {
			mark_providers(w, phase, conf, provides, member, depth + 1);
			continue;
		}
		for (size_t i = 0; i < phase->len; i++)
			if (step_provides(&phase->steps[i], provides ? provides[i] : NULL, member))
				w->provider[i] = true;
	}
}

int
rc_facilities_init(RcFacilities *f, const RcPhase *phase, const InsservConf *conf,
		   const StrList *const *provides)
{
	size_t n = sizeof known / sizeof known[0];

	memset(f, 0, sizeof *f);
	if (!(f->w = calloc(n, sizeof *f->w)))
		return -1;
	f->n = n;
	f->nsteps = phase->len;
	for (size_t k = 0; k < n; k++) {
		RcFacilityWatch *w = &f->w[k];

		w->facility = known[k].facility;
		w->events = known[k].events;
		if (!(w->provider = calloc(phase->len + 1, sizeof *w->provider))) {
			rc_facilities_free(f);
			return -1;
		}
		mark_providers(w, phase, conf, provides, w->facility, 0);
		for (size_t i = 0; i < phase->len; i++)
			w->left += w->provider[i];
		/* Nobody here provides it: not ours to say. */
		w->done = w->left == 0;
	}
	return 0;
}

void
rc_facilities_step_ended(RcFacilities *f, size_t i, RcFacilityEmitFn emit, void *data)
{
	if (i >= f->nsteps)
		return;
	for (size_t k = 0; k < f->n; k++) {
		RcFacilityWatch *w = &f->w[k];

		if (w->done || !w->provider[i])
			continue;
		w->provider[i] = false;
		if (--w->left)
			continue;
		w->done = true;
		for (const char *const *e = w->events; *e; e++)
			emit(*e, data);
	}
}

void
rc_facilities_free(RcFacilities *f)
{
	for (size_t k = 0; k < f->n; k++)
		free(f->w[k].provider);
	free(f->w);
	memset(f, 0, sizeof *f);
}

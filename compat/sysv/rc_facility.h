/* rc_facility — when an LSB facility becomes true during a phase, and
 * which Upstart events say so.
 *
 * insserv.conf says which scripts provide a facility ("$local_fs
 * +mountall +mountall-bootclean ..."; a member may be another facility).
 * Once every step of the phase whose script provides a member of the
 * facility has ended, the facility is true, and its events can be
 * emitted, while the rest of the phase still runs:
 *
 *   $local_fs    local-filesystems, all-swaps
 *   $remote_fs   remote-filesystems, filesystem
 *   $network     net-device-up IFACE=lo, static-network-up
 *
 * (the events Upstart's mountall and ifupdown bridges sent at those
 * moments; virtual-filesystems comes from init itself, earlier).  A
 * facility no step of the phase provides is not reported: the rc-sysinit
 * job emits what was not emitted once the phase is over.
 *
 * Ownership: RcFacilities owns its arrays; rc_facilities_free() releases
 * them.  Event strings are static.
 */
#ifndef UPINIT_RC_FACILITY_H
#define UPINIT_RC_FACILITY_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strlist.h"
#include "sysv/insserv_conf.h"
#include "sysv/rc_plan.h"

typedef struct rc_facility_watch {
	const char         *facility;   /* "$local_fs" */
	const char *const  *events;     /* NULL-terminated; "K=V" words follow a name */
	bool               *provider;   /* per step of the phase */
	size_t              left;       /* providers not ended yet */
	bool                done;
} RcFacilityWatch;

typedef struct rc_facilities {
	RcFacilityWatch *w;
	size_t           n;
	size_t           nsteps;
} RcFacilities;

/* Called with each event of a facility that became true: `event` is the
 * event's name and variables as one line ("net-device-up IFACE=lo"). */
typedef void (*RcFacilityEmitFn)(const char *event, void *data);

/* Watch the facilities over `phase`.  provides[i] is what step i's script
 * provides (its header's Provides; NULL for none, the script's own name
 * then counts).  Returns 0, or -1 when out of memory. */
int  rc_facilities_init(RcFacilities *f, const RcPhase *phase, const InsservConf *conf,
			const StrList *const *provides);
/* Step i has ended: emit the events of every facility it completed. */
void rc_facilities_step_ended(RcFacilities *f, size_t i, RcFacilityEmitFn emit, void *data);
void rc_facilities_free(RcFacilities *f);

#endif

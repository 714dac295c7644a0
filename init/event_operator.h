/* event_operator — the `start on` / `stop on` expression trees.
 *
 * A tree is made of AND/OR nodes and MATCH leaves.  A leaf names an event
 * and a list of argument patterns as written in the job file: positional
 * "VALUE" patterns first, then "KEY=VALUE" or "KEY!=VALUE".  VALUE is an
 * fnmatch(3) pattern after $VAR expansion.
 *
 * While events arrive, leaves become true and hold a block on the event
 * that made them true (event_block); when the whole tree becomes true, the
 * caller collects the environment and the events, and resets the tree.
 *
 * Ownership: a tree owns its nodes, their strings, and one block on each
 * leaf's event.  event_operator_free() drops those blocks.
 */
#ifndef UPINIT_EVENT_OPERATOR_H
#define UPINIT_EVENT_OPERATOR_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/environ.h"

struct event;
struct blocked_list;

typedef enum event_operator_type {
	EVENT_OR,
	EVENT_AND,
	EVENT_MATCH,
} EventOperatorType;

typedef struct event_operator {
	EventOperatorType       type;
	bool                    value;   /* true once satisfied */
	struct event_operator  *left;    /* AND/OR only */
	struct event_operator  *right;   /* AND/OR only */
	char                   *name;    /* MATCH: event name */
	char                  **args;    /* MATCH: NULL-terminated patterns, may be NULL */
	struct event           *event;   /* MATCH: blocked event while value is true */
} EventOperator;

/* Parse an expression from `ntokens` tokens (already split by the job
 * file lexer; a token "(" or ")" stands alone).  On error returns NULL and
 * sets *error to a static message: "Expected event", "Expected operator",
 * "Expected variable name before value" (a positional argument after a
 * KEY=VALUE one), "Mismatched parentheses", "Expression nested too deeply"
 * (more than 1024 levels: every walk of a tree uses a fixed stack, so a
 * hostile file cannot overflow init's), or "Cannot allocate memory"
 * (errno ENOMEM).  *error_token is set to the
 * index of the token at fault (or ntokens when the input ended early). */
EventOperator *event_operator_parse(char *const *tokens, size_t ntokens,
				    const char **error, size_t *error_token);

void           event_operator_free(EventOperator *op);
/* Deep copy with every value false and no events held. */
EventOperator *event_operator_copy(const EventOperator *op);

/* The expression as `initctl show-config` prints it: operators fully
 * parenthesised, "(a and (b X=y or c))", a lone leaf bare.  Caller frees. */
char          *event_operator_to_string(const EventOperator *op);

/* What must still happen for the tree to hold, given the leaves already
 * true: `start on started a and (b or c)` with `started a` seen gives
 * "b or c".  NULL when the tree holds.  Caller frees. */
char          *event_operator_unmet(const EventOperator *op);

/* Calls `fn` for each leaf in tree order (show-config -e, check-config). */
void           event_operator_foreach_leaf(const EventOperator *op,
					   void (*fn)(const EventOperator *leaf, void *data),
					   void *data);

/* Does this event match this leaf?  `env` (may be NULL) is used to expand
 * $VAR in the patterns; an unknown variable means no match. */
bool           event_operator_match(const EventOperator *leaf,
				    const struct event *event, const EnvList *env);

/* Offer an event to the tree: every false leaf that matches becomes true
 * and blocks the event; AND/OR values are recomputed.  Returns true when
 * the tree changed.  The root's value tells whether the expression holds. */
bool           event_operator_handle(EventOperator *root, struct event *event,
				     const EnvList *env);

/* When the root is true: append to `env` the environment of every true
 * leaf on a true path, in tree order, and to `names` (space separated,
 * may be NULL) their event names, for UPSTART_EVENTS. */
int            event_operator_collect_env(const EventOperator *root, EnvList *env,
					  char **names);

/* Move the blocks of the true leaves on a true path into `list` (each
 * event gets one more blocker there); other leaves are left alone. */
int            event_operator_collect_events(const EventOperator *root,
					     struct blocked_list *list);

/* Re-exec: leaf i (tree order, as foreach_leaf visits them) becomes true
 * holding a block on events[i] when that is not NULL; operators are
 * recomputed.  Leaves past `n` stay as they are. */
void           event_operator_restore(EventOperator *root, struct event *const *events,
				      size_t n);

/* Every leaf false, every block dropped. */
void           event_operator_reset(EventOperator *root);

#endif

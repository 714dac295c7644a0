/* event_operator — the `start on` / `stop on` expression trees.
 *
 * See event_operator.h for the model.  Two things shape this file:
 *
 *  - Nothing here recurses.  Trees come from job files, which are hostile
 *    input as far as PID 1 is concerned, so the parser is a shift/collect
 *    loop over an explicit stack (the same scheme as Upstart's parse_on),
 *    and every walk over a finished tree uses a fixed-size frame array.
 *    The parser refuses trees deeper than EVENT_OPERATOR_MAX_DEPTH, which
 *    is what makes a fixed array enough and lets the walks never allocate
 *    (event_operator_reset() and _handle() cannot fail half-way).
 *
 *  - Matching follows Upstart's event_operator_match(): positional
 *    patterns are matched against the values of the event's environment
 *    in order, KEY=VALUE and KEY!=VALUE look the key up by name, and a
 *    missing key or running out of positional values is no match — for
 *    `!=` as well.
 */
#include "init/event_operator.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init/blocked.h"
#include "init/event.h"

/* Deepest tree the parser builds.  A flat chain "a or b or c ..." is as
 * deep as it has operators (the operators are left-associative), so this
 * allows chains of about a thousand events, far beyond any real job. */
#define EVENT_OPERATOR_MAX_DEPTH 1024

static const char ERR_EXPECTED_EVENT[]    = "Expected event";
static const char ERR_EXPECTED_OPERATOR[] = "Expected operator";
static const char ERR_EXPECTED_VARIABLE[] = "Expected variable name before value";
static const char ERR_MISMATCHED_PARENS[] = "Mismatched parentheses";
static const char ERR_TOO_DEEP[]          = "Expression nested too deeply";
static const char ERR_NO_MEMORY[]         = "Cannot allocate memory";

/* ------------------------------------------------------------------ */
/* Nodes                                                                */
/* ------------------------------------------------------------------ */

/* A new AND or OR node without children.  NULL on ENOMEM. */
static EventOperator *
node_new_operator(EventOperatorType type)
{
	EventOperator *op = calloc(1, sizeof *op);

	if (op)
		op->type = type;
	return op;
}

/* A new MATCH leaf for event `name` (copied), no arguments yet. */
static EventOperator *
node_new_match(const char *name)
{
	EventOperator *op = calloc(1, sizeof *op);

	if (!op)
		return NULL;
	op->type = EVENT_MATCH;
	op->name = strdup(name);
	if (!op->name) {
		free(op);
		return NULL;
	}
	return op;
}

/* Frees one node and what it owns itself (name, args, its block on an
 * event), not its children. */
static void
node_free(EventOperator *op)
{
	if (op->event)
		event_unblock(op->event);
	free(op->name);
	for (char **a = op->args; a && *a; a++)
		free(*a);
	free(op->args);
	free(op);
}

/* Frees a whole tree without recursion and without memory: rotating each
 * left child up turns the tree into a right spine that is freed node by
 * node (the classic linear-time rotation destructor).  Works for trees of
 * any depth, including hand-built ones. */
void
event_operator_free(EventOperator *op)
{
	while (op) {
		EventOperator *left = op->left;

		if (left) {
			op->left = left->right;
			left->right = op;
			op = left;
		} else {
			EventOperator *right = op->right;

			node_free(op);
			op = right;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Walking a finished tree                                              */
/* ------------------------------------------------------------------ */

/* What a walk does at each node.  Any callback may be NULL.
 *  enter:   before the node's children; returning false skips them (and
 *           the node's `between`/`leave`);
 *  between: between an operator's left and right subtrees;
 *  leave:   after the node's children (post-order). */
typedef struct walk_visitor {
	bool (*enter)(EventOperator *node, void *data);
	void (*between)(EventOperator *node, void *data);
	void (*leave)(EventOperator *node, void *data);
} WalkVisitor;

typedef struct walk_frame {
	EventOperator *node;
	int            state;   /* 0 new, 1 left done, 2 right done */
} WalkFrame;

/* Depth-first walk of `root` in tree order with a fixed frame array, so it
 * neither recurses nor allocates.  Returns false (having visited only part
 * of the tree) if the tree is deeper than EVENT_OPERATOR_MAX_DEPTH, which
 * the parser never produces. */
static bool
walk(EventOperator *root, const WalkVisitor *v, void *data)
{
	WalkFrame frames[EVENT_OPERATOR_MAX_DEPTH + 1];
	size_t depth = 0;

	if (!root)
		return true;
	frames[depth++] = (WalkFrame){ root, 0 };
	while (depth) {
		WalkFrame *f = &frames[depth - 1];
		EventOperator *next = NULL;

		if (f->state == 0) {
			if (v->enter && !v->enter(f->node, data)) {
				depth--;
				continue;
			}
			f->state = 1;
			next = f->node->left;
		} else if (f->state == 1) {
			if (f->node->type != EVENT_MATCH && v->between)
				v->between(f->node, data);
			f->state = 2;
			next = f->node->right;
		} else {
			if (v->leave)
				v->leave(f->node, data);
			depth--;
			continue;
		}
		if (next) {
			if (depth > EVENT_OPERATOR_MAX_DEPTH)
				return false;
			frames[depth++] = (WalkFrame){ next, 0 };
		}
	}
	return true;
}

/* Recompute an AND/OR node from its children (children first: post-order). */
static void
update_operator(EventOperator *op)
{
	bool left = op->left && op->left->value;
	bool right = op->right && op->right->value;

	op->value = op->type == EVENT_AND ? (left && right) : (left || right);
}

/* ------------------------------------------------------------------ */
/* Parsing                                                              */
/* ------------------------------------------------------------------ */

/* One entry of the parser's stack: an open parenthesis (node NULL), an
 * operator waiting for its right operand (its left is set), or the leaf
 * whose arguments are being read.  `height` is the height of the
 * operator's left subtree, or 1 for a leaf; the leaf fields track its
 * argument array so appending stays linear. */
typedef struct parse_item {
	EventOperator *node;
	size_t         height;
	size_t         nargs;
	size_t         cap;
	bool           named;   /* a KEY=VALUE argument has been seen */
} ParseItem;

typedef struct parser {
	ParseItem     *stack;
	size_t         depth;
	size_t         cap;
	EventOperator *root;        /* subtree collected so far, or NULL */
	size_t         root_height;
	const char    *error;
} Parser;

/* Push an item (NULL node for an open parenthesis).  -1 on ENOMEM (the
 * caller still owns `node`). */
static int
parser_push(Parser *p, EventOperator *node, size_t height)
{
	if (p->depth == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		ParseItem *stack = reallocarray(p->stack, cap, sizeof *stack);

		if (!stack)
			return -1;
		p->stack = stack;
		p->cap = cap;
	}
	p->stack[p->depth++] = (ParseItem){ .node = node, .height = height };
	return 0;
}

/* The top of the stack, or NULL when it is empty. */
static ParseItem *
parser_top(Parser *p)
{
	return p->depth ? &p->stack[p->depth - 1] : NULL;
}

/* Is the top of the stack a leaf still taking arguments? */
static bool
top_is_match(Parser *p)
{
	ParseItem *top = parser_top(p);

	return top && top->node && top->node->type == EVENT_MATCH;
}

/* Record the error (a static message); always -1. */
static int
parser_fail(Parser *p, const char *message)
{
	p->error = message;
	return -1;
}

/* Pop items down to the nearest open parenthesis, folding them into
 * p->root: an operator takes the collected subtree as its right operand,
 * a leaf becomes the subtree.  Every check is made before an item is
 * popped, so on error everything is still on the stack or in p->root for
 * parser_cleanup().  Collecting nothing is "Expected event". */
static int
parser_collect(Parser *p)
{
	while (p->depth && p->stack[p->depth - 1].node) {
		ParseItem *item = &p->stack[p->depth - 1];
		EventOperator *node = item->node;
		size_t height = 1;

		if (node->type != EVENT_MATCH) {
			if (!p->root)
				return parser_fail(p, ERR_EXPECTED_EVENT);
			height = 1 + (item->height > p->root_height
				      ? item->height : p->root_height);
			if (height > EVENT_OPERATOR_MAX_DEPTH)
				return parser_fail(p, ERR_TOO_DEEP);
			node->right = p->root;
		} else if (p->root) {
			return parser_fail(p, ERR_EXPECTED_OPERATOR);
		}
		p->depth--;
		p->root = node;
		p->root_height = height;
	}
	if (!p->root)
		return parser_fail(p, ERR_EXPECTED_EVENT);
	return 0;
}

/* "(": only where an operand may start. */
static int
parse_open(Parser *p)
{
	if (p->root || top_is_match(p))
		return parser_fail(p, ERR_EXPECTED_OPERATOR);
	if (parser_push(p, NULL, 0) < 0)
		return parser_fail(p, ERR_NO_MEMORY);
	return 0;
}

/* ")": collect the group and drop its open parenthesis.  The group's
 * subtree stays in p->root as the operand just read. */
static int
parse_close(Parser *p)
{
	if (parser_collect(p) < 0)
		return -1;
	if (!p->depth)
		return parser_fail(p, ERR_MISMATCHED_PARENS);
	p->depth--;
	return 0;
}

/* "and" / "or": everything before it (back to an open parenthesis)
 * becomes its left operand, which is what makes both operators equal in
 * precedence and left-associative, as in Upstart. */
static int
parse_operator(Parser *p, EventOperatorType type)
{
	EventOperator *op;

	if (parser_collect(p) < 0)
		return -1;
	op = node_new_operator(type);
	if (!op || parser_push(p, op, p->root_height) < 0) {
		free(op);
		return parser_fail(p, ERR_NO_MEMORY);
	}
	op->left = p->root;
	p->root = NULL;
	return 0;
}

/* Append an argument to the leaf on top of the stack.  Positional
 * arguments must all come before the first KEY=VALUE one. */
static int
parse_argument(Parser *p, const char *token)
{
	ParseItem *item = parser_top(p);
	EventOperator *leaf = item->node;
	bool named = strchr(token, '=') != NULL;

	if (!named && item->named)
		return parser_fail(p, ERR_EXPECTED_VARIABLE);
	if (item->nargs + 1 >= item->cap) {
		size_t cap = item->cap ? item->cap * 2 : 4;
		char **args = reallocarray(leaf->args, cap, sizeof *args);

		if (!args)
			return parser_fail(p, ERR_NO_MEMORY);
		leaf->args = args;
		item->cap = cap;
	}
	leaf->args[item->nargs] = strdup(token);
	if (!leaf->args[item->nargs]) {
		leaf->args[item->nargs] = NULL;
		return parser_fail(p, ERR_NO_MEMORY);
	}
	leaf->args[++item->nargs] = NULL;
	item->named |= named;
	return 0;
}

/* Any other word: an argument of the leaf being read, or the event name
 * of a new leaf.  A new operand right after a complete one (a closed
 * group) is reported here rather than when it is collected. */
static int
parse_operand(Parser *p, const char *token)
{
	EventOperator *leaf;

	if (top_is_match(p))
		return parse_argument(p, token);
	if (p->root)
		return parser_fail(p, ERR_EXPECTED_OPERATOR);
	leaf = node_new_match(token);
	if (!leaf || parser_push(p, leaf, 1) < 0) {
		if (leaf)
			node_free(leaf);
		return parser_fail(p, ERR_NO_MEMORY);
	}
	return 0;
}

/* Frees whatever a failed parse left on the stack and in p->root. */
static void
parser_cleanup(Parser *p)
{
	for (size_t i = 0; i < p->depth; i++)
		event_operator_free(p->stack[i].node);
	event_operator_free(p->root);
	free(p->stack);
}

/* Feed one token to the parser. */
static int
parse_token(Parser *p, const char *token)
{
	if (!strcmp(token, "("))
		return parse_open(p);
	if (!strcmp(token, ")"))
		return parse_close(p);
	if (!strcmp(token, "and"))
		return parse_operator(p, EVENT_AND);
	if (!strcmp(token, "or"))
		return parse_operator(p, EVENT_OR);
	return parse_operand(p, token);
}

/* See event_operator.h.  The tree returned is owned by the caller (free
 * with event_operator_free); on error nothing is left allocated.  Besides
 * the messages the header lists, "Expression nested too deeply" is given
 * for trees deeper than EVENT_OPERATOR_MAX_DEPTH and "Cannot allocate
 * memory" (errno ENOMEM) when an allocation fails. */
EventOperator *
event_operator_parse(char *const *tokens, size_t ntokens,
		     const char **error, size_t *error_token)
{
	Parser p = { 0 };
	size_t i;

	for (i = 0; i < ntokens; i++)
		if (parse_token(&p, tokens[i]) < 0)
			goto fail;
	if (parser_collect(&p) < 0)
		goto fail;
	/* An open parenthesis still on the stack was never closed. */
	if (p.depth) {
		parser_fail(&p, ERR_MISMATCHED_PARENS);
		goto fail;
	}
	free(p.stack);
	return p.root;

fail:
	parser_cleanup(&p);
	if (error)
		*error = p.error;
	if (error_token)
		*error_token = i;
	errno = p.error == ERR_NO_MEMORY ? ENOMEM : EINVAL;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Copy                                                                 */
/* ------------------------------------------------------------------ */

/* A copy of one node's own data (name, args), no children, no state. */
static EventOperator *
node_copy(const EventOperator *src)
{
	EventOperator *op;
	size_t n = 0;

	if (src->type != EVENT_MATCH)
		return node_new_operator(src->type);
	op = node_new_match(src->name);
	if (!op || !src->args)
		return op;
	while (src->args[n])
		n++;
	op->args = calloc(n + 1, sizeof *op->args);
	if (!op->args)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (!(op->args[i] = strdup(src->args[i])))
			goto fail;
	return op;
fail:
	node_free(op);
	return NULL;
}

/* A pending copy: `src` is to be copied into `*slot` of the new tree. */
typedef struct copy_job {
	const EventOperator  *src;
	EventOperator       **slot;
} CopyJob;

/* Deep copy, pre-order: each node is copied into the slot its parent's
 * copy left for it, so a failure leaves a well-formed partial tree that
 * is simply freed.  The pending stack never holds more than one entry per
 * level plus one. */
EventOperator *
event_operator_copy(const EventOperator *op)
{
	CopyJob pending[EVENT_OPERATOR_MAX_DEPTH + 2];
	EventOperator *root = NULL;
	size_t depth = 0;

	if (!op)
		return NULL;
	pending[depth++] = (CopyJob){ op, &root };
	while (depth) {
		CopyJob job = pending[--depth];
		EventOperator *copy = node_copy(job.src);

		if (!copy)
			goto fail;
		*job.slot = copy;
		if (depth + 2 > EVENT_OPERATOR_MAX_DEPTH + 2) {
			errno = EINVAL;
			goto fail;
		}
		if (job.src->right)
			pending[depth++] = (CopyJob){ job.src->right, &copy->right };
		if (job.src->left)
			pending[depth++] = (CopyJob){ job.src->left, &copy->left };
	}
	return root;
fail:
	event_operator_free(root);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Printing                                                             */
/* ------------------------------------------------------------------ */

typedef struct out_buf {
	char  *s;
	size_t len;
	size_t cap;
	bool   failed;
} OutBuf;

/* Append a string; on ENOMEM mark the buffer failed and ignore the rest. */
static void
out_add(OutBuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(p = realloc(b->s, cap))) {
			b->failed = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

/* A leaf prints as "NAME ARG...", an operator opens its parenthesis. */
static bool
print_enter(EventOperator *node, void *data)
{
	OutBuf *b = data;

	if (node->type != EVENT_MATCH) {
		out_add(b, "(");
		return true;
	}
	out_add(b, node->name);
	for (char **a = node->args; a && *a; a++) {
		out_add(b, " ");
		out_add(b, *a);
	}
	return true;
}

/* The operator word between the operands. */
static void
print_between(EventOperator *node, void *data)
{
	out_add(data, node->type == EVENT_AND ? " and " : " or ");
}

/* An operator closes its parenthesis. */
static void
print_leave(EventOperator *node, void *data)
{
	if (node->type != EVENT_MATCH)
		out_add(data, ")");
}

/* See event_operator.h.  The walk only reads the tree; the cast drops
 * const for the shared walker. */
char *
event_operator_to_string(const EventOperator *op)
{
	static const WalkVisitor printer = { print_enter, print_between, print_leave };
	OutBuf b = { 0 };

	out_add(&b, "");
	if (!walk((EventOperator *)op, &printer, &b))
		b.failed = true;
	if (b.failed) {
		free(b.s);
		errno = ENOMEM;
		return NULL;
	}
	return b.s;
}

/* ------------------------------------------------------------------ */
/* Leaves                                                               */
/* ------------------------------------------------------------------ */

typedef struct leaf_call {
	void (*fn)(const EventOperator *leaf, void *data);
	void  *data;
} LeafCall;

/* Calls the user's function on leaves only. */
static bool
leaf_enter(EventOperator *node, void *data)
{
	LeafCall *call = data;

	if (node->type == EVENT_MATCH)
		call->fn(node, call->data);
	return true;
}

/* See event_operator.h; `op` may be NULL (no leaves). */
void
event_operator_foreach_leaf(const EventOperator *op,
			    void (*fn)(const EventOperator *leaf, void *data),
			    void *data)
{
	static const WalkVisitor visitor = { leaf_enter, NULL, NULL };
	LeafCall call = { fn, data };

	walk((EventOperator *)op, &visitor, &call);
}

/* ------------------------------------------------------------------ */
/* Matching                                                             */
/* ------------------------------------------------------------------ */

/* The entry of `env` whose key is the `klen` bytes at `key`, or NULL. */
static const char *
event_env_find(const EnvList *env, const char *key, size_t klen)
{
	for (char *const *v = env_vars(env); *v; v++)
		if (!strncmp(*v, key, klen) && (*v)[klen] == '=')
			return *v;
	return NULL;
}

/* The value part of a KEY=VALUE entry ("" if it has no '='). */
static const char *
entry_value(const char *entry)
{
	const char *eq = strchr(entry, '=');

	return eq ? eq + 1 : "";
}

/* Does `value` match glob `pattern` once $VARs in it are expanded from
 * `env`?  Returns 1 or 0, or -1 when the pattern cannot be expanded: it
 * mentions `$` and there is no environment, or expansion fails (unknown
 * variable, bad ${...}, ENOMEM).  Failures are silent: events are
 * matched all the time and a bad pattern would otherwise flood the log. */
static int
pattern_match(const char *pattern, const char *value, const EnvList *env)
{
	char *expanded;
	int match;

	if (!strchr(pattern, '$'))
		return fnmatch(pattern, value, 0) == 0;
	if (!env)
		return -1;
	expanded = env_expand(pattern, env, NULL);
	if (!expanded)
		return -1;
	match = fnmatch(expanded, value, 0) == 0;
	free(expanded);
	return match;
}

/* One argument of a leaf against the event.  `*position` counts the
 * positional arguments consumed so far. */
static bool
argument_matches(const char *arg, const Event *event, const EnvList *env,
		 size_t *position)
{
	const char *op = strstr(arg, "!=");
	const char *entry, *pattern;
	bool negate = false;
	int match;

	if (!op)
		op = strchr(arg, '=');
	if (op) {
		/* KEY=PATTERN or KEY!=PATTERN: by name; a missing key is no
		 * match whichever the operator (as in Upstart). */
		entry = event_env_find(&event->env, arg, (size_t)(op - arg));
		/* A unix socket's path: job files say PATH=, as Upstart's
		 * manual taught, but the event says SOCKET_PATH (as Upstart
		 * 1.12's bridge did): PATH in the job's environment would
		 * replace its command search path. */
		if (!entry && op - arg == 4 && !strncmp(arg, "PATH", 4) &&
		    !strcmp(event->name, "socket"))
			entry = event_env_find(&event->env, "SOCKET_PATH", 11);
		negate = *op == '!';
		pattern = op + (negate ? 2 : 1);
	} else {
		/* Positional: the i-th entry's value, whatever its key. */
		entry = *position < event->env.len ? env_vars(&event->env)[*position] : NULL;
		(*position)++;
		pattern = arg;
	}
	if (!entry)
		return false;
	/* An unexpandable pattern is no match, negated or not. */
	match = pattern_match(pattern, entry_value(entry), env);
	return match >= 0 && (match == 1) != negate;
}

/* See event_operator.h. */
bool
event_operator_match(const EventOperator *leaf, const Event *event,
		     const EnvList *env)
{
	size_t position = 0;

	if (leaf->type != EVENT_MATCH || strcmp(leaf->name, event->name))
		return false;
	for (char **a = leaf->args; a && *a; a++)
		if (!argument_matches(*a, event, env, &position))
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* Handling events                                                      */
/* ------------------------------------------------------------------ */

typedef struct handle_state {
	Event         *event;
	const EnvList *env;
	bool           changed;
} HandleState;

/* Post-order: leaves are matched before their parents are recomputed. */
static void
handle_leave(EventOperator *node, void *data)
{
	HandleState *st = data;

	if (node->type != EVENT_MATCH) {
		update_operator(node);
		return;
	}
	if (node->value || !event_operator_match(node, st->event, st->env))
		return;
	node->value = true;
	node->event = st->event;
	event_block(st->event);
	st->changed = true;
}

/* See event_operator.h. */
bool
event_operator_handle(EventOperator *root, Event *event, const EnvList *env)
{
	static const WalkVisitor visitor = { NULL, NULL, handle_leave };
	HandleState st = { event, env, false };

	if (!root)
		return false;
	walk(root, &visitor, &st);
	return st.changed;
}

typedef struct collect_state {
	EnvList             *env;
	char               **names;
	struct blocked_list *list;
	int                  ret;
} CollectState;

/* Append " name" (or "name" to an empty string) to *names. */
static int
append_name(char **names, const char *name)
{
	size_t old = *names ? strlen(*names) : 0;
	size_t n = strlen(name);
	char *s = realloc(*names, old + n + 2);

	if (!s)
		return -1;
	if (old)
		s[old++] = ' ';
	memcpy(s + old, name, n + 1);
	*names = s;
	return 0;
}

/* Both collectors enter only true subtrees: a true leaf under a false
 * operator (the half of an `and` that came without its partner) did not
 * take part in making the expression true. */
static bool
collect_env_enter(EventOperator *node, void *data)
{
	CollectState *st = data;

	if (!node->value || st->ret < 0)
		return false;
	if (node->type != EVENT_MATCH || !node->event)
		return true;
	/* Later events' values replace earlier ones for the same key. */
	for (char *const *v = env_vars(&node->event->env); *v; v++)
		if (env_set(st->env, *v) < 0 && errno == ENOMEM)
			st->ret = -1;
	if (st->names && append_name(st->names, node->event->name) < 0)
		st->ret = -1;
	return true;
}

/* See event_operator.h.  `*names` may be NULL on entry (a string is
 * allocated) or an existing malloc'd string (appended to); the caller
 * frees it.  It stays NULL when no leaf contributes.  On ENOMEM returns
 * -1 and some entries may already have been added. */
int
event_operator_collect_env(const EventOperator *root, EnvList *env, char **names)
{
	static const WalkVisitor visitor = { collect_env_enter, NULL, NULL };
	CollectState st = { env, names, NULL, 0 };

	walk((EventOperator *)root, &visitor, &st);
	if (st.ret < 0)
		errno = ENOMEM;
	return st.ret;
}

/* Adds the event of each true leaf on a true path to the list. */
static bool
collect_events_enter(EventOperator *node, void *data)
{
	CollectState *st = data;

	if (!node->value || st->ret < 0)
		return false;
	if (node->type == EVENT_MATCH && node->event &&
	    blocked_add_event(st->list, node->event) < 0)
		st->ret = -1;
	return true;
}

/* See event_operator.h.  The tree keeps its own blocks until
 * event_operator_reset(); the list gets one more on each event.  -1 on
 * ENOMEM (the events added so far stay in the list). */
int
event_operator_collect_events(const EventOperator *root, struct blocked_list *list)
{
	static const WalkVisitor visitor = { collect_events_enter, NULL, NULL };
	CollectState st = { NULL, NULL, list, 0 };

	walk((EventOperator *)root, &visitor, &st);
	return st.ret;
}

/* Every node false; a leaf drops its block.  Order does not matter: once
 * every leaf is false every operator is. */
static bool
reset_enter(EventOperator *node, void *data)
{
	node->value = false;
	if (node->event) {
		event_unblock(node->event);
		node->event = NULL;
	}
	return true;
}

/* See event_operator.h; `root` may be NULL. */
void
event_operator_reset(EventOperator *root)
{
	static const WalkVisitor visitor = { reset_enter, NULL, NULL };

	walk(root, &visitor, NULL);
}

/* ------------------------------------------------------------------ */
/* Re-exec                                                              */
/* ------------------------------------------------------------------ */

typedef struct restore_state {
	struct event *const *events;
	size_t               n;
	size_t               at;
} RestoreState;

/* Leaves take their event (and a block on it) in tree order; operators
 * are recomputed on the way up. */
static void
restore_leave(EventOperator *node, void *data)
{
	RestoreState *st = data;

	if (node->type != EVENT_MATCH) {
		update_operator(node);
		return;
	}
	if (st->at < st->n && st->events[st->at] && !node->value) {
		node->value = true;
		node->event = st->events[st->at];
		event_block(node->event);
	}
	st->at++;
}

/* See event_operator.h. */
void
event_operator_restore(EventOperator *root, struct event *const *events, size_t n)
{
	static const WalkVisitor visitor = { NULL, NULL, restore_leave };
	RestoreState st = { events, n, 0 };

	walk(root, &visitor, &st);
}

/* ------------------------------------------------------------------ */
/* What is still missing                                               */
/* ------------------------------------------------------------------ */

/* The part of a false subtree that must still happen, parenthesised
 * like event_operator_to_string(); NULL when the subtree holds (or out
 * of memory).  Depth is bounded by the parser's limit. */
static char *
unmet(const EventOperator *op)
{
	char *l, *r, *s = NULL;

	if (!op || op->value)
		return NULL;
	if (op->type == EVENT_MATCH)
		return event_operator_to_string(op);
	l = unmet(op->left);
	r = unmet(op->right);
	if (l && r) {
		if (asprintf(&s, "(%s %s %s)", l, op->type == EVENT_AND ? "and" : "or", r) < 0)
			s = NULL;
	} else {
		s = l ? l : r;
		l = r = NULL;
	}
	free(l);
	free(r);
	return s;
}

/* See event_operator.h. */
char *
event_operator_unmet(const EventOperator *op)
{
	char *s = unmet(op);
	size_t n;

	if (s && s[0] == '(' && (n = strlen(s)) > 1 && s[n - 1] == ')') {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
	return s;
}

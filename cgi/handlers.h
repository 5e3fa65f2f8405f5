/*
 * handlers.h - one handler per route; one file per resource.
 *
 * A handler fills resp and returns 0, or returns -1 with err set.  Routes
 * marked AUTH get r->user filled before the handler runs; routes marked
 * JSON get r->body parsed (a JSON object) first.
 */
#ifndef CHAT_HANDLERS_H
#define CHAT_HANDLERS_H

#include "http.h"

typedef int handler_fn(struct request *, struct response *,
    struct api_error *);

handler_fn health_get;				/* health.c */
handler_fn users_login, users_register;		/* users.c */
handler_fn users_logout, users_me, users_password;
handler_fn users_patch_me, users_agents;
handler_fn admin_users_list, admin_users_create;	/* admin.c */
handler_fn admin_users_patch;
handler_fn conversations_list;			/* conversations.c */
handler_fn conversations_create, conversations_get, conversations_read;
handler_fn conversations_patch, conversations_assign;
handler_fn conversations_rate;				/* ratings.c */
handler_fn search_get;					/* search.c */
handler_fn messages_history, messages_send;	/* messages.c */
handler_fn media_upload, media_get;		/* media.c */
handler_fn labels_list, labels_create, labels_patch;	/* labels.c */
handler_fn labels_delete, labels_conversation_add;
handler_fn labels_conversation_remove;
handler_fn canned_list, canned_create;		/* canned.c */
handler_fn canned_patch, canned_delete;
handler_fn reports_summary;			/* reports.c */

/* routing.c: after a committed change, route what it freed or brought back. */
/* agent may take more now: the oldest waiting conversations go to them. */
void	routing_drain(struct request *r, long long agent);
/* conv came back (reopened, put back): keep or route it, never to exclude. */
void	routing_settle(struct request *r, long long conv, long long exclude);

#endif

#!/usr/bin/env node
// relay.mjs - a Node.js Socket.IO v4 peer for benchmarking pushd.
//
//   node tests/bench/peers/relay.mjs --port P --secret-file FILE
//       [--persist --db-socket SOCK --db-user chat --db-password PW
//        --db-name chat --pool N]
//
// Bare mode: auth, rooms, typing and message fan-out, nothing stored.
// Persisting mode: conversation:join checks access with one query and
// message:send runs the transaction of chat_send_store() (lib/chat.c)
// through a mariadb pool.  See README.md for what differs from pushd.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';

// --- options -----------------------------------------------------------------

function usage(msg) {
	if (msg)
		console.error(`relay: ${msg}`);
	console.error('usage: node relay.mjs --port P --secret-file FILE [--persist ' +
	    '--db-socket SOCK --db-user USER --db-password PW --db-name DB ' +
	    '--pool N]');
	process.exit(2);
}

let opts;
try {
	opts = parseArgs({
		options: {
			port: { type: 'string' },
			'secret-file': { type: 'string' },
			persist: { type: 'boolean', default: false },
			'db-socket': { type: 'string' },
			'db-user': { type: 'string', default: 'chat' },
			'db-password': { type: 'string', default: '' },
			'db-name': { type: 'string', default: 'chat' },
			pool: { type: 'string', default: '16' },
		},
		strict: true,
		allowPositionals: false,
	}).values;
} catch (e) {
	usage(e.message);
}

const PORT = Number(opts.port);
if (!Number.isInteger(PORT) || PORT < 1 || PORT > 65535)
	usage('--port must be 1-65535');
if (!opts['secret-file'])
	usage('--secret-file is required');
const POOL = Number(opts.pool);
if (!Number.isInteger(POOL) || POOL < 1 || POOL > 1000)
	usage('--pool must be 1-1000');
const PERSIST = opts.persist;
if (PERSIST && !opts['db-socket'])
	usage('--persist needs --db-socket');

// The secret as pushd reads it (config_load_secret): trailing newlines are
// not part of it.  Other white space is trimmed too.
let SECRET;
try {
	SECRET = readFileSync(opts['secret-file']).toString('utf8').trim();
} catch (e) {
	usage(`secret file: ${e.message}`);
}
if (Buffer.byteLength(SECRET) < 32)
	usage('the jwt secret is shorter than 32 bytes');

const MAX_CONTENT = 4000;		// limits.max_message_length
const CLIENT_ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const TOKEN_MAX = 4096;

// --- JWT (HS256) -------------------------------------------------------------

const B64URL_RE = /^[A-Za-z0-9_-]+$/;

function b64json(part) {
	try {
		const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
		return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
	} catch {
		return null;
	}
}

// {id, role} of a valid token, or null.
function verifyToken(token) {
	if (typeof token !== 'string' || token.length > TOKEN_MAX)
		return null;
	const parts = token.split('.');
	if (parts.length !== 3 || !parts.every((p) => B64URL_RE.test(p)))
		return null;
	const want = Buffer.from(createHmac('sha256', SECRET)
	    .update(`${parts[0]}.${parts[1]}`).digest('base64url'));
	const got = Buffer.from(parts[2]);
	if (got.length !== want.length || !timingSafeEqual(got, want))
		return null;
	const header = b64json(parts[0]);
	const claims = b64json(parts[1]);
	if (header === null || claims === null || header.alg !== 'HS256')
		return null;
	if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now())
		return null;
	const id = parseId(claims.sub, true);
	if (id === null || typeof claims.role !== 'string' ||
	    !['User', 'Support', 'Admin'].includes(claims.role))
		return null;
	return { id, role: claims.role };
}

// --- input -------------------------------------------------------------------

class ApiError extends Error {
	constructor(code, message) {
		super(message);
		this.code = code;
	}
}

const invalid = (message) => new ApiError('validation_failed', message);

// A positive id (decimal string or integer) as its canonical string, or null.
function parseId(v, stringOnly = false) {
	if (typeof v === 'string') {
		if (!/^[0-9]{1,19}$/.test(v))
			return null;
		const n = BigInt(v);
		return n > 0n && n <= 9223372036854775807n ? n.toString() : null;
	}
	if (!stringOnly && typeof v === 'number' && Number.isSafeInteger(v) && v > 0)
		return String(v);
	return null;
}

function argObject(arg) {
	return arg !== null && typeof arg === 'object' && !Array.isArray(arg) ? arg : {};
}

function requireId(arg, key) {
	const v = arg[key];
	if (v === undefined || v === null)
		throw invalid(`${key} is required`);
	const id = parseId(v);
	if (id === null)
		throw invalid(`${key} is not a valid id`);
	return id;
}

function optString(arg, key, max) {
	const v = arg[key];
	if (v === undefined || v === null)
		return null;
	if (typeof v !== 'string')
		throw invalid(`${key} must be a string`);
	if (Buffer.byteLength(v) > max)
		throw invalid(`${key} is longer than ${max} bytes`);
	return v;
}

// chat_send_parse(), text messages only.
function parseSend(raw) {
	const arg = argObject(raw);
	const conversationId = requireId(arg, 'conversationId');
	const messageType = optString(arg, 'messageType', 16) ?? 'text';
	const content = optString(arg, 'content', MAX_CONTENT);
	const mediaId = arg.mediaId === undefined || arg.mediaId === null ?
	    null : requireId(arg, 'mediaId');
	const clientMessageId = optString(arg, 'clientMessageId', 64);
	if (clientMessageId !== null && !CLIENT_ID_RE.test(clientMessageId))
		throw invalid('clientMessageId must be 1-64 characters of ' +
		    'letters, digits and -_.:');
	if (messageType === 'text') {
		if (content === null || /^[ \t\r\n]*$/.test(content))
			throw invalid('content is required for a text message');
		if (mediaId !== null)
			throw invalid('a text message carries no mediaId');
		return { conversationId, messageType, content, clientMessageId };
	}
	if (['image', 'video', 'audio'].includes(messageType))
		throw invalid('the relay stores text messages only');
	throw invalid('messageType must be text, image, video or audio');
}

// --- replies -----------------------------------------------------------------

function errorObject(e) {
	if (e instanceof ApiError)
		return { code: e.code, message: e.message };
	return { code: 'internal_error', message: 'internal error' };
}

// An ack if one was asked for, else an `error` event (pushd's sio_fail).
function fail(socket, ack, event, e) {
	const err = errorObject(e);
	if (ack)
		ack({ ok: false, error: err });
	else
		socket.emit('error', { ...err, event });
}

// May this user see a conversation of userId assigned to supportId?
function maySee(user, userId, supportId) {
	if (user.role === 'Admin')
		return true;
	if (user.role === 'Support')
		return supportId !== null && String(supportId) === user.id;
	return String(userId) === user.id;
}

const iso = (ms) => (ms === null || ms === undefined ? null :
    new Date(Number(ms)).toISOString());

// --- database (persisting mode) ------------------------------------------------

const SQL_ACCESS = 'SELECT userId, assignedSupportId FROM conversations ' +
    'WHERE id = ?';
const SQL_LOCK = 'SELECT userId, assignedSupportId, userUnreadCount, ' +
    'supportUnreadCount FROM conversations WHERE id = ? FOR UPDATE';
const SQL_RETRY = 'SELECT id, conversationId FROM messages ' +
    'WHERE senderId = ? AND clientMessageId = ?';
const SQL_INSERT = 'INSERT INTO messages (conversationId, senderId, ' +
    'messageType, content, mediaId, clientMessageId) ' +
    'VALUES (?, ?, ?, ?, NULL, ?)';
const SQL_UPDATE = 'UPDATE conversations SET lastMessageId = ?, ' +
    "updatedAt = CURRENT_TIMESTAMP(3), status = 'open', " +
    'userUnreadCount = userUnreadCount + ?, ' +
    'supportUnreadCount = supportUnreadCount + ? WHERE id = ?';
// MODEL_MESSAGE_COLUMNS / MODEL_MESSAGE_FROM of lib/model.h.
const SQL_MESSAGE = 'SELECT m.id, m.conversationId, m.senderId, ' +
    'm.messageType, m.content, m.isRead, ' +
    'ROUND(UNIX_TIMESTAMP(m.readAt) * 1000) AS readAtMs, ' +
    'ROUND(UNIX_TIMESTAMP(m.createdAt) * 1000) AS createdAtMs, ' +
    'm.clientMessageId, md.id AS mdId, md.name AS mdName, md.type AS mdType, ' +
    'md.fileName AS mdFileName, md.format AS mdFormat, md.size AS mdSize ' +
    'FROM messages m LEFT JOIN media md ON md.id = m.mediaId WHERE m.id = ?';

let pool = null;

function dbFail(e) {
	if (e instanceof ApiError)
		return e;
	console.error(`relay: db: ${e.code ?? ''} ${e.message}`);
	const gone = e.fatal || /CONN|SOCKET|POOL|ECONN|ENOENT|EPIPE|TIMEOUT/
	    .test(String(e.code ?? ''));
	return gone ?
	    new ApiError('service_unavailable', 'the database is unavailable, try again') :
	    new ApiError('internal_error', 'internal error');
}

function messageFromRow(r) {
	return {
		_id: String(r.id),
		conversationId: String(r.conversationId),
		senderId: String(r.senderId),
		messageType: r.messageType,
		content: r.content,
		mediaId: r.mdId === null ? null : {
			_id: String(r.mdId), name: r.mdName, type: r.mdType,
			url: `/uploads/chat/${r.mdFileName}`, format: r.mdFormat,
			size: Number(r.mdSize),
		},
		isRead: Number(r.isRead) === 1,
		readAt: iso(r.readAtMs),
		createdAt: iso(r.createdAtMs),
		clientMessageId: r.clientMessageId,
	};
}

async function loadMessage(conn, id) {
	const rows = await conn.execute(SQL_MESSAGE, [id]);
	if (rows.length === 0)
		throw new ApiError('not_found', 'message not found');
	return messageFromRow(rows[0]);
}

async function rollback(conn) {
	try {
		await conn.rollback();
	} catch {
		// the connection is gone; the pool drops it
	}
}

// chat_find_retry(): the id of a message already stored under this
// clientMessageId, or null.
async function findRetry(conn, user, req) {
	if (req.clientMessageId === null)
		return null;
	const rows = await conn.execute(SQL_RETRY, [user.id, req.clientMessageId]);
	if (rows.length === 0)
		return null;
	if (String(rows[0].conversationId) !== req.conversationId)
		throw new ApiError('conflict',
		    'clientMessageId was already used for another conversation');
	return String(rows[0].id);
}

// chat_send_store(): {message, duplicate, recipient, unread}.
async function storeMessage(user, req) {
	let conn;
	try {
		conn = await pool.getConnection();
	} catch (e) {
		throw dbFail(e);
	}
	let open = false;
	try {
		await conn.beginTransaction();
		open = true;
		const locked = await conn.execute(SQL_LOCK, [req.conversationId]);
		if (locked.length === 0 || !maySee(user, locked[0].userId,
		    locked[0].assignedSupportId))
			throw new ApiError('not_found', 'conversation not found');
		const c = locked[0];
		let id = await findRetry(conn, user, req);
		if (id !== null) {
			open = false;
			await conn.rollback();
			return { message: await loadMessage(conn, id), duplicate: true };
		}
		let ins;
		try {
			ins = await conn.execute(SQL_INSERT, [req.conversationId,
			    user.id, req.messageType, req.content, req.clientMessageId]);
		} catch (e) {
			if (e.errno !== 1062)
				throw e;
			// A retry that raced past the lookup: answer with the first.
			open = false;
			await conn.rollback();
			if ((id = await findRetry(conn, user, req)) === null)
				throw e;
			return { message: await loadMessage(conn, id), duplicate: true };
		}
		id = String(ins.insertId);
		const toUser = user.id !== String(c.userId);
		await conn.execute(SQL_UPDATE, [id, toUser ? 1 : 0, toUser ? 0 : 1,
		    req.conversationId]);
		await conn.commit();
		open = false;
		return {
			message: await loadMessage(conn, id),
			duplicate: false,
			recipient: toUser ? String(c.userId) :
			    (c.assignedSupportId === null ? null : String(c.assignedSupportId)),
			unread: toUser ? Number(c.userUnreadCount) + 1 :
			    Number(c.supportUnreadCount) + 1,
		};
	} catch (e) {
		if (open)
			await rollback(conn);
		throw dbFail(e);
	} finally {
		conn.release();
	}
}

async function checkAccess(user, conversationId) {
	let rows;
	try {
		rows = await pool.execute(SQL_ACCESS, [conversationId]);
	} catch (e) {
		throw dbFail(e);
	}
	if (rows.length === 0 || !maySee(user, rows[0].userId,
	    rows[0].assignedSupportId))
		throw new ApiError('not_found', 'conversation not found');
}

// --- bare mode -----------------------------------------------------------------

let nextMessageId = 0;
// conversationId -> {user, support}: the parties seen joining or sending.
const parties = new Map();

function noteParty(user, conversationId) {
	if (user.role !== 'User' && user.role !== 'Support')
		return;
	let p = parties.get(conversationId);
	if (p === undefined)
		parties.set(conversationId, p = { user: null, support: null });
	if (user.role === 'User')
		p.user = user.id;
	else
		p.support = user.id;
}

function bareSend(user, req) {
	noteParty(user, req.conversationId);
	const p = parties.get(req.conversationId) ?? { user: null, support: null };
	const toUser = user.id !== p.user;
	return {
		message: {
			_id: String(++nextMessageId),
			conversationId: req.conversationId,
			senderId: user.id,
			messageType: req.messageType,
			content: req.content,
			mediaId: null,
			isRead: false,
			readAt: null,
			createdAt: new Date().toISOString(),
			clientMessageId: req.clientMessageId,
		},
		duplicate: false,
		recipient: toUser ? p.user : p.support,
		unread: 1,
	};
}

// --- Socket.IO -----------------------------------------------------------------

const httpServer = createServer();
const io = new Server(httpServer, {
	transports: ['websocket', 'polling'],
	maxHttpBufferSize: 1e6,
	perMessageDeflate: false,
	pingInterval: 25000,
	pingTimeout: 20000,
});

function handshakeToken(socket) {
	const hs = socket.handshake;
	if (hs.auth && typeof hs.auth.token === 'string')
		return hs.auth.token;
	if (typeof hs.query.token === 'string')
		return hs.query.token;
	const m = /^Bearer (.+)$/.exec(hs.headers.authorization ?? '');
	return m ? m[1] : null;
}

io.use((socket, next) => {
	const user = verifyToken(handshakeToken(socket));
	if (user === null) {
		const err = new Error('unauthorized');
		err.data = { code: 'E_AUTH' };
		next(err);
		return;
	}
	socket.data.user = user;
	next();
});

// Database work of one socket runs in the order it was sent, as on pushd's
// db thread (which serialises every socket's work, not only one's).
function queued(socket, fn) {
	if (!PERSIST) {
		fn();
		return;
	}
	socket.data.queue = (socket.data.queue ?? Promise.resolve())
	    .then(fn)
	    .catch((e) => console.error(`relay: ${e.stack ?? e}`));
}

// (arg, ack) of a handler, whichever the client sent.
function handler(socket, event, fn) {
	socket.on(event, (arg, ack) => {
		if (typeof arg === 'function' && ack === undefined) {
			ack = arg;
			arg = undefined;
		}
		if (typeof ack !== 'function')
			ack = null;
		fn(arg, ack);
	});
}

io.on('connection', (socket) => {
	const user = socket.data.user;
	socket.join(`user:${user.id}`);

	handler(socket, 'conversation:join', (arg, ack) => {
		let conversationId;
		try {
			conversationId = requireId(argObject(arg), 'conversationId');
		} catch (e) {
			fail(socket, ack, 'conversation:join', e);
			return;
		}
		queued(socket, async () => {
			if (PERSIST) {
				try {
					await checkAccess(user, conversationId);
				} catch (e) {
					if (socket.connected)
						fail(socket, ack, 'conversation:join', e);
					return;
				}
			} else {
				noteParty(user, conversationId);
			}
			if (!socket.connected)
				return;
			socket.join(`conv:${conversationId}`);
			socket.emit('conversation:joined', { conversationId });
			// pushd's key order: {conversationId, ok, missed, hasMore}.
			ack?.({ conversationId, ok: true, missed: 0, hasMore: false });
		});
	});

	handler(socket, 'conversation:leave', (arg, ack) => {
		let conversationId;
		try {
			conversationId = requireId(argObject(arg), 'conversationId');
		} catch (e) {
			fail(socket, ack, 'conversation:leave', e);
			return;
		}
		socket.leave(`conv:${conversationId}`);
		ack?.({ ok: true });
	});

	const typing = (event, isTyping) => handler(socket, event, (arg, ack) => {
		let conversationId;
		try {
			conversationId = requireId(argObject(arg), 'conversationId');
			if (!socket.rooms.has(`conv:${conversationId}`))
				throw new ApiError('not_found', 'join the conversation first');
		} catch (e) {
			fail(socket, ack, event, e);
			return;
		}
		// The other participants: none of this user's own sockets.
		const to = socket.to(`conv:${conversationId}`).except(`user:${user.id}`);
		if (isTyping)
			to.emit('typing:user-typing', { conversationId, userId: user.id,
			    userName: `User ${user.id}`, isTyping: true });
		else
			to.emit('typing:user-stopped', { conversationId, userId: user.id,
			    isTyping: false });
		ack?.({ ok: true });
	});
	typing('typing:start', true);
	typing('typing:stop', false);

	handler(socket, 'message:send', (arg, ack) => {
		const sendError = (e) => {
			const err = errorObject(e);
			const cid = arg && typeof arg.clientMessageId === 'string' ?
			    arg.clientMessageId : null;
			ack?.({ ok: false, error: err });
			socket.emit('message:error', { ...err, clientMessageId: cid });
		};
		let req;
		try {
			req = parseSend(arg);
		} catch (e) {
			sendError(e);
			return;
		}
		queued(socket, async () => {
			let sent;
			try {
				sent = PERSIST ? await storeMessage(user, req) :
				    bareSend(user, req);
			} catch (e) {
				if (socket.connected)
					sendError(e);
				return;
			}
			if (socket.connected)
				ack?.({ ok: true, message: sent.message,
				    duplicate: sent.duplicate });
			if (sent.duplicate)
				return;
			// Stored: the others hear of it even if the sender is gone.
			const m = sent.message;
			io.to(`user:${user.id}`).emit('message:sent', m);
			io.to(`conv:${m.conversationId}`).emit('message:new', m);
			if (sent.recipient)
				io.to(`user:${sent.recipient}`).emit('notification:new-message', {
					conversationId: m.conversationId,
					message: m,
					sender: { _id: user.id, name: `User ${user.id}` },
					unreadCount: sent.unread,
				});
		});
	});
});

// --- start and stop ----------------------------------------------------------------

let stopping = false;

async function stop(sig) {
	if (stopping)
		return;
	stopping = true;
	setTimeout(() => process.exit(0), 5000).unref();
	try {
		await new Promise((resolve) => io.close(() => resolve()));
		if (pool !== null)
			await pool.end();
	} catch (e) {
		console.error(`relay: ${sig}: ${e.message}`);
	}
	process.exit(0);
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

if (PERSIST) {
	const mariadb = await import('mariadb');
	pool = mariadb.createPool({
		socketPath: opts['db-socket'],
		user: opts['db-user'],
		password: opts['db-password'],
		database: opts['db-name'],
		connectionLimit: POOL,
		initSql: "SET time_zone = '+00:00'",
	});
	try {
		await pool.query('SELECT 1');
	} catch (e) {
		console.error(`relay: database: ${e.cause?.message ?? e.message}`);
		await pool.end().catch(() => {});
		process.exit(1);
	}
}

httpServer.on('error', (e) => {
	console.error(`relay: listen: ${e.message}`);
	process.exit(1);
});
httpServer.listen(PORT, '127.0.0.1', () => {
	console.log(`listening on ${PORT}`);
});

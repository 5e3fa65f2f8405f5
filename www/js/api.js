// api.js - the REST API: JSON in and out, the bearer token, errors as
// exceptions carrying the server's code and words.

const TOKEN_KEY = 'token';
let unauthorized = () => {};

export const getToken = () => localStorage.getItem(TOKEN_KEY);
export const setToken = (t) => (t ? localStorage.setItem(TOKEN_KEY, t) : localStorage.removeItem(TOKEN_KEY));
// Called when the server says the token is no good (expired, revoked).
export const onUnauthorized = (fn) => { unauthorized = fn; };

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function api(method, path, body) {
  const headers = {};
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  let json = null;
  try { json = await res.json(); } catch { /* empty or not JSON */ }
  if (!res.ok) {
    const e = new ApiError(res.status, json?.error?.code ?? 'http', json?.error?.message ?? res.statusText);
    if (res.status === 401 && token && path !== '/api/v1/users/login') unauthorized(e);
    throw e;
  }
  return json;
}

// Upload one file with progress: onProgress(fraction). Resolves the media;
// signal (an AbortSignal, or none) cancels it ('aborted').
export function uploadMedia(file, type, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'aborted'));
    const fd = new FormData();
    fd.append('type', type);
    fd.append('file', file, file.name);
    xhr.open('POST', '/api/v1/chat/media');
    xhr.setRequestHeader('Authorization', `Bearer ${getToken()}`);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network'));
    xhr.onload = () => {
      let json = null;
      try { json = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status === 201 && json?.data?.[0]) resolve(json.data[0]);
      else reject(new ApiError(xhr.status, json?.error?.code ?? 'http', json?.error?.message ?? xhr.statusText));
    };
    xhr.send(fd);
  });
}

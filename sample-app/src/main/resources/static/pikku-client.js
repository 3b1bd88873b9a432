// A small browser client for Pikku channels: calls are promises matched to their reply by
// a correlation id, EventHub deliveries go to topic listeners, and a lost connection is
// re-opened with backoff (onOpen runs again, so the page can log in and re-subscribe).

export class PikkuError extends Error {
  constructor(error) {
    super(error.message || error.code);
    this.code = error.code;
    this.details = error.details;
  }
}

export class PikkuSocket {
  constructor(url, { routingProperty = 'action', correlationField = 'correlationId', onStatus = () => {},
    onOpen = async () => {}, onMessage = () => {}, timeoutMs = 10000 } = {}) {
    this.url = url;
    this.routingProperty = routingProperty;
    this.correlationField = correlationField;
    this.onStatus = onStatus;
    this.onOpen = onOpen;
    this.onMessage = onMessage;
    this.timeoutMs = timeoutMs;
    this.pending = new Map();
    this.topics = new Map();
    this.nextId = 1;
    this.attempt = 0;
    this.closedByUs = false;
    this.ready = null;
  }

  connect() {
    this.closedByUs = false;
    this.ready = new Promise((resolve) => { this.markReady = resolve; });
    this.onStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = async () => {
      this.attempt = 0;
      this.onStatus('open');
      this.markReady();
      try {
        await this.onOpen(this);
      } catch (error) {
        console.warn('onOpen failed', error);
      }
    };
    socket.onmessage = (event) => this.dispatch(event.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) {
        return;
      }
      this.failPending(new PikkuError({ code: 'disconnected', message: 'Connection lost' }));
      if (this.closedByUs) {
        this.onStatus('closed');
        return;
      }
      const delay = Math.min(5000, 250 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
      this.attempt++;
      this.onStatus('reconnecting', { code: event.code, delay });
      this.retry = setTimeout(() => this.connect(), delay);
    };
    return this.ready;
  }

  close() {
    this.closedByUs = true;
    clearTimeout(this.retry);
    if (this.socket) {
      this.socket.close(1000, 'bye');
    }
  }

  get isOpen() {
    return this.socket && this.socket.readyState === WebSocket.OPEN;
  }

  call(action, data = {}) {
    if (!this.isOpen) {
      return Promise.reject(new PikkuError({ code: 'disconnected', message: 'Not connected' }));
    }
    const id = String(this.nextId++);
    const frame = { ...data, [this.routingProperty]: action, [this.correlationField]: id };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new PikkuError({ code: 'timeout', message: 'No answer from the server' }));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.send(JSON.stringify(frame));
    });
  }

  subscribe(topic, listener) {
    if (!this.topics.has(topic)) {
      this.topics.set(topic, new Set());
    }
    this.topics.get(topic).add(listener);
    return () => this.topics.get(topic).delete(listener);
  }

  dispatch(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    const id = message && message[this.correlationField];
    if (id !== undefined && this.pending.has(String(id))) {
      const { resolve, reject, timer } = this.pending.get(String(id));
      this.pending.delete(String(id));
      clearTimeout(timer);
      if (message.error) {
        reject(new PikkuError(message.error));
      } else {
        resolve(message);
      }
      return;
    }
    if (message && typeof message.topic === 'string' && this.topics.has(message.topic)) {
      this.topics.get(message.topic).forEach((listener) => listener(message));
      return;
    }
    this.onMessage(message);
  }

  failPending(error) {
    this.pending.forEach(({ reject, timer }) => {
      clearTimeout(timer);
      reject(error);
    });
    this.pending.clear();
  }
}

export async function login(username, password) {
  const response = await fetch('/api/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status === 401) {
    throw new PikkuError({ code: 'unauthorized', message: 'Wrong username or password' });
  }
  if (!response.ok) {
    throw new PikkuError({ code: 'http_' + response.status, message: 'Login failed (' + response.status + ')' });
  }
  return (await response.json()).token;
}

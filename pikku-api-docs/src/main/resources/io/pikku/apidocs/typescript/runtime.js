/**
 * One routing property of a channel, as in Pikku's `@pikku/websocket`: sends
 * `{[routingProperty]: method, ...data}` and hands every message whose routing property
 * names a method to that method's subscribers.
 */
export class CorePikkuRouteHandler {
    route;
    sendMessage;
    subscriptions = new Map();
    constructor(route, sendMessage) {
        this.route = route;
        this.sendMessage = sendMessage;
    }
    _handleMessage(method, data) {
        this.subscriptions.get(String(method))?.forEach((callback) => callback(data));
    }
    subscribe(method, callback) {
        let callbacks = this.subscriptions.get(method);
        if (!callbacks) {
            callbacks = new Set();
            this.subscriptions.set(method, callbacks);
        }
        callbacks.add(callback);
    }
    unsubscribe(method, callback) {
        if (callback) {
            this.subscriptions.get(method)?.delete(callback);
        }
        else {
            this.subscriptions.delete(method);
        }
    }
    send(method, data) {
        this.sendMessage(JSON.stringify({ [this.route]: method, ...data }));
    }
}
/**
 * A WebSocket to one channel, as Pikku's `CorePikkuWebsocket`: routes by routing
 * property, and hands every message to the channel's subscribers.
 */
export class CorePikkuWebsocket {
    ws;
    routes = new Map();
    subscriptions = new Set();
    onmessage = null;
    constructor(ws) {
        this.ws = ws;
        ws.binaryType = 'arraybuffer';
        ws.onmessage = (event) => this.handleMessage(event);
    }
    getRoute(route) {
        const name = route.toString();
        let handler = this.routes.get(name);
        if (!handler) {
            handler = this.createRoute(name, (data) => this.ws.send(data));
            this.routes.set(name, handler);
        }
        return handler;
    }
    createRoute(route, send) {
        return new CorePikkuRouteHandler(route, send);
    }
    send(data) {
        this.ws.send(JSON.stringify(data));
    }
    subscribe(callback) {
        this.subscriptions.add(callback);
    }
    unsubscribe(callback) {
        if (callback) {
            this.subscriptions.delete(callback);
        }
        else {
            this.subscriptions.clear();
        }
    }
    handleMessage(event) {
        if (!event.data) {
            return;
        }
        let parsed = false;
        if (typeof event.data === 'string') {
            try {
                const json = JSON.parse(event.data);
                parsed = true;
                for (const [property, handler] of this.routes) {
                    if (json && json[property]) {
                        handler._handleMessage(json[property], json);
                    }
                }
                this.subscriptions.forEach((subscription) => subscription(json));
            }
            catch {
                // Not JSON: handed on as it is, below.
            }
        }
        if (!parsed) {
            this.subscriptions.forEach((subscription) => subscription(event.data));
        }
        if (this.onmessage) {
            this.onmessage.call(this.ws, event);
        }
    }
}
/** One routing property of a channel, typed: Pikku's generated `PikkuWebSocketRoute`. */
export class PikkuWebSocketRoute extends CorePikkuRouteHandler {
    /** Receives the replies and errors of an action, whoever sent the call. */
    subscribe(method, callback) {
        super.subscribe(method, callback);
    }
    unsubscribe(method, callback) {
        super.unsubscribe(method, callback);
    }
    /** Calls an action; its reply goes to the action's subscribers. */
    send(method, data) {
        super.send(method, data);
    }
}
/**
 * A typed WebSocket to one channel: Pikku's generated `PikkuWebSocket`, so that code written
 * for Pikku's `@pikku/websocket` runs unchanged.
 *
 * ```ts
 * const pikku = new PikkuWebSocket<'todos'>(new WebSocket('ws://localhost:8080/todos'))
 * const route = pikku.getRoute('action')
 * route.subscribe('create', (data) => console.log(data))
 * route.send('create', { text: 'Buy milk' })
 * pikku.subscribeToEventHub('todos:updated', (event) => console.log(event.todo))
 * ```
 */
export class PikkuWebSocket extends CorePikkuWebsocket {
    getRoute(route) {
        return super.getRoute(route);
    }
    createRoute(route, send) {
        return new PikkuWebSocketRoute(route, send);
    }
    /** Receives every message of the channel. */
    subscribe(callback) {
        super.subscribe(callback);
    }
    unsubscribe(callback) {
        super.unsubscribe(callback);
    }
    /** Sends a frame without a routing property, to the channel's default handler. */
    send(data) {
        super.send(data);
    }
    /** Receives the deliveries of one topic, with their payload typed. */
    subscribeToEventHub(topic, callback) {
        super.subscribe((data) => {
            if (data && data.topic === topic) {
                callback(data);
            }
        });
    }
}
/**
 * A failed call: the server's error, or one of the client's own. Narrow it with
 * {@link ChannelClient.isError} to get the codes and details of an action.
 */
export class PikkuError extends Error {
    /** The error as answered. */
    body;
    /** The action of the failed call, if the error answered one. */
    action;
    constructor(body, action) {
        super(body.message || body.code);
        this.name = 'PikkuError';
        this.body = body;
        this.action = action;
    }
    /** The error code. */
    get code() {
        return this.body.code;
    }
    /** The details, whose type depends on the code. */
    get details() {
        return this.body.details;
    }
}
/**
 * The client of a Pikku application: one {@link ChannelClient} per channel connection.
 *
 * ```ts
 * const client = new PikkuClient('ws://localhost:8080')
 * const todos = client.channel('todos')
 * todos.onOpen(async (open) => { await open.call('auth', { token }) })
 * todos.on('todos:updated', (event) => console.log(event.todo))
 * const { todo } = await todos.call('create', { text: 'Buy milk' })
 * ```
 */
export class PikkuClient {
    options;
    baseUrl;
    constructor(baseUrl, options = {}) {
        this.options = options;
        this.baseUrl = baseUrl.replace(/\/+$/, '');
    }
    /**
     * A connection to a channel, opened on the first call or with `connect()`.
     * @param name the channel
     * @param openingData its path variables and query parameters
     */
    channel(name, ...openingData) {
        const info = pikkuInfo.channels[name];
        if (!info) {
            throw new Error(`Unknown channel '${name}'`);
        }
        const data = { ...openingData[0] };
        const path = info.route.replace(/\{([^}]+)\}/g, (match, variable) => {
            const value = data[variable];
            if (value === undefined || value === null) {
                throw new Error(`Channel '${name}' needs '${variable}' for its route ${info.route}`);
            }
            delete data[variable];
            return encodeURIComponent(String(value));
        });
        return new ChannelClient(name, this.baseUrl + path, data, this.options);
    }
}
/**
 * A connection to one channel: calls as promises, typed errors, topic deliveries, and a
 * reconnect with backoff after which the `onOpen` hooks run again (to log in and
 * re-subscribe: a new connection starts without a session and without topics).
 */
export class ChannelClient {
    name;
    url;
    query;
    options;
    socket = null;
    state = 'idle';
    attempt = 0;
    nextId = 1;
    retry = null;
    awaitingConnect = false;
    hooksDone = false;
    pending = new Map();
    topics = new Map();
    hooks = new Set();
    connectListeners = new Set();
    messageListeners = new Set();
    errorListeners = new Set();
    statusListeners = new Set();
    opened = new Set();
    constructor(name, url, query, options) {
        this.name = name;
        this.url = url;
        this.query = query;
        this.options = options;
    }
    /** The connection state. */
    get status() {
        return this.state;
    }
    /** Whether the connection is open. */
    get isOpen() {
        return this.state === 'open';
    }
    /** Opens the connection, if not open yet; resolves once it is open. */
    connect() {
        if (this.state === 'open') {
            return Promise.resolve();
        }
        const opened = new Promise((resolve) => this.opened.add(resolve));
        if (this.state === 'idle' || this.state === 'closed') {
            this.open();
        }
        return opened;
    }
    /** Closes the connection for good: no reconnect; waiting calls fail with `closed`. */
    close() {
        if (this.retry !== null) {
            clearTimeout(this.retry);
            this.retry = null;
        }
        const socket = this.socket;
        this.socket = null;
        this.setStatus('closed');
        this.failAll({ code: 'closed', message: 'Connection closed' }, true);
        if (socket) {
            socket.close(1000, 'bye');
        }
    }
    /**
     * Calls an action of the channel's first routing property: resolves with its output,
     * or rejects with a {@link PikkuError}. Waits for the connection (opening it if idle),
     * and for the `onOpen` hooks after a reconnect.
     */
    call(action, ...input) {
        return this.send(pikkuInfo.channels[this.name].routingProperty, action, input[0]);
    }
    /** The actions of another routing property of the channel. */
    route(routingProperty) {
        return {
            call: (action, ...input) => this.send(routingProperty, action, input[0]),
        };
    }
    /** Whether an error is a {@link PikkuError} of this action (its codes and the client's own). */
    isError(error, action) {
        return error instanceof PikkuError && error.action === action;
    }
    /** Receives the deliveries of a topic (subscribe to it with an action first). */
    on(topic, listener) {
        let listeners = this.topics.get(topic);
        if (!listeners) {
            listeners = new Set();
            this.topics.set(topic, listeners);
        }
        listeners.add(listener);
        return () => this.topics.get(topic)?.delete(listener);
    }
    /** Receives what the channel's `onConnect` sends, on every connect. */
    onConnect(listener) {
        return this.add(this.connectListeners, listener);
    }
    /** Receives the messages that are no reply, delivery or connect message. */
    onMessage(listener) {
        return this.add(this.messageListeners, listener);
    }
    /** Receives the errors that answer no call of this client (e.g. a frame that was too large). */
    onError(listener) {
        return this.add(this.errorListeners, listener);
    }
    /** Receives every change of the connection state. */
    onStatus(listener) {
        return this.add(this.statusListeners, listener);
    }
    /**
     * Runs after every connect, reconnects included, before calls that waited for the
     * connection go out: the place to log in and to subscribe to topics again.
     */
    onOpen(hook) {
        return this.add(this.hooks, hook);
    }
    add(listeners, listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
    }
    setStatus(status) {
        if (this.state === status) {
            return;
        }
        this.state = status;
        this.statusListeners.forEach((listener) => listener(status));
    }
    open() {
        this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
        this.hooksDone = false;
        const WebSocketClass = this.options.WebSocket ?? WebSocket;
        const socket = new WebSocketClass(this.address());
        this.socket = socket;
        socket.onopen = () => {
            if (this.socket !== socket) {
                return;
            }
            this.attempt = 0;
            this.awaitingConnect = pikkuInfo.channels[this.name].connect;
            this.setStatus('open');
            this.opened.forEach((resolve) => resolve());
            this.opened.clear();
            void this.runHooks(socket);
        };
        socket.onmessage = (event) => {
            if (this.socket === socket && typeof event.data === 'string') {
                this.dispatch(event.data);
            }
        };
        // A close follows every error and handles it; without a listener, Node's ws
        // throws the error (closing a socket that is still connecting, for one).
        socket.onerror = () => undefined;
        socket.onclose = () => {
            if (this.socket !== socket) {
                return;
            }
            this.socket = null;
            this.failAll({ code: 'disconnected', message: 'Connection lost' }, false);
            const reconnect = this.options.reconnect ?? true;
            if (reconnect === false) {
                this.setStatus('closed');
                this.failAll({ code: 'closed', message: 'Connection closed' }, true);
                return;
            }
            const { initialDelayMs = 250, maxDelayMs = 5000 } = reconnect === true ? {} : reconnect;
            const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
            this.attempt++;
            this.setStatus('reconnecting');
            this.retry = setTimeout(() => {
                this.retry = null;
                this.open();
            }, delay);
        };
    }
    address() {
        const query = new URLSearchParams();
        for (const [key, value] of Object.entries(this.query)) {
            if (value !== undefined && value !== null) {
                query.append(key, String(value));
            }
        }
        const token = typeof this.options.accessToken === 'function' ? this.options.accessToken() : this.options.accessToken;
        if (token) {
            query.append('access_token', token);
        }
        const search = query.toString();
        return search ? this.url + '?' + search : this.url;
    }
    async runHooks(socket) {
        for (const hook of [...this.hooks]) {
            try {
                await hook(this);
            }
            catch (error) {
                console.warn(`Pikku channel '${this.name}': an onOpen hook failed`, error);
            }
        }
        if (this.socket === socket) {
            this.hooksDone = true;
            this.pending.forEach((call) => this.transmit(call));
        }
    }
    send(routingProperty, action, input) {
        if (this.state === 'closed') {
            return Promise.reject(this.error(action, { code: 'closed', message: 'Connection closed' }));
        }
        const id = String(this.nextId++);
        const info = pikkuInfo.channels[this.name];
        const frame = JSON.stringify({ ...input, [routingProperty]: action, [pikkuInfo.correlationField]: id });
        const promise = new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.pending.delete(id);
                reject(this.error(action, { code: 'timeout', message: 'No answer from the server in time' }));
            }, this.options.timeoutMs ?? 10000);
            const wrapped = (info.wrapped[routingProperty] ?? []).includes(action);
            this.pending.set(id, { resolve, reject, timer, wrapped, routingProperty, action, frame, sent: false });
        });
        const call = this.pending.get(id);
        if (this.state === 'idle') {
            this.open();
        }
        else if (this.state === 'open') {
            // Calls made while the onOpen hooks run (theirs, typically) go at once.
            this.transmit(call, true);
        }
        return promise;
    }
    transmit(call, evenDuringHooks = false) {
        const socket = this.socket;
        if (call.sent || !socket || socket.readyState !== 1 || (!this.hooksDone && !evenDuringHooks)) {
            return;
        }
        call.sent = true;
        socket.send(call.frame);
    }
    error(action, body) {
        return new PikkuError(body, action);
    }
    failAll(body, evenUnsent) {
        this.pending.forEach((call, id) => {
            if (call.sent || evenUnsent) {
                clearTimeout(call.timer);
                this.pending.delete(id);
                call.reject(this.error(call.action, body));
            }
        });
    }
    dispatch(text) {
        let message;
        try {
            message = JSON.parse(text);
        }
        catch {
            this.messageListeners.forEach((listener) => listener(text));
            return;
        }
        if (message === null || typeof message !== 'object' || Array.isArray(message)) {
            this.messageListeners.forEach((listener) => listener(message));
            return;
        }
        const id = message[pikkuInfo.correlationField];
        const call = id !== undefined ? this.pending.get(String(id)) : undefined;
        if (call) {
            this.pending.delete(String(id));
            clearTimeout(call.timer);
            if (message.error) {
                call.reject(this.error(call.action, message.error));
            }
            else {
                call.resolve(this.output(message, call));
            }
            return;
        }
        if (typeof message.topic === 'string') {
            const listeners = this.topics.get(message.topic);
            if (listeners && listeners.size > 0) {
                listeners.forEach((listener) => listener(message));
            }
            else {
                this.messageListeners.forEach((listener) => listener(message));
            }
            return;
        }
        if (message.error && typeof message.error === 'object') {
            this.awaitingConnect = false;
            const error = new PikkuError(message.error);
            if (this.errorListeners.size > 0) {
                this.errorListeners.forEach((listener) => listener(error));
            }
            else {
                console.warn(`Pikku channel '${this.name}': ${error.code}: ${error.message}`);
            }
            return;
        }
        if (this.awaitingConnect) {
            this.awaitingConnect = false;
            this.connectListeners.forEach((listener) => listener(message));
            return;
        }
        this.messageListeners.forEach((listener) => listener(message));
    }
    output(message, call) {
        if (call.wrapped) {
            return message.result;
        }
        const output = { ...message };
        delete output[call.routingProperty];
        delete output[pikkuInfo.correlationField];
        return output;
    }
}

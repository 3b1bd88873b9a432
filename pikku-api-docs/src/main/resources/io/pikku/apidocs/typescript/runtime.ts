// pikku:stub-start
import type { ChannelsMap, PikkuChannels } from './stub.js';
declare const pikkuInfo: PikkuInfo;
// pikku:stub-end

/** What the client knows of the channels besides their types. */
interface PikkuInfo {
    readonly correlationField: string;
    readonly channels: {
        readonly [channel: string]: {
            readonly route: string;
            readonly routingProperty: string;
            readonly connect: boolean;
            readonly wrapped: { readonly [routingProperty: string]: readonly string[] };
        };
    };
}

// Pikku's own client, as @pikku/websocket has it: the same wire protocol and the same shapes.

type Callback = (data: any) => void;

/**
 * One routing property of a channel, as in Pikku's `@pikku/websocket`: sends
 * `{[routingProperty]: method, ...data}` and hands every message whose routing property
 * names a method to that method's subscribers.
 */
export class CorePikkuRouteHandler {
    private readonly subscriptions = new Map<string, Set<Callback>>();

    constructor(protected readonly route: string, private readonly sendMessage: (data: string) => void) {
    }

    public _handleMessage(method: unknown, data: unknown): void {
        this.subscriptions.get(String(method))?.forEach((callback) => callback(data));
    }

    public subscribe(method: string, callback: Callback): void {
        let callbacks = this.subscriptions.get(method);
        if (!callbacks) {
            callbacks = new Set();
            this.subscriptions.set(method, callbacks);
        }
        callbacks.add(callback);
    }

    public unsubscribe(method: string, callback?: Callback): void {
        if (callback) {
            this.subscriptions.get(method)?.delete(callback);
        }
        else {
            this.subscriptions.delete(method);
        }
    }

    public send(method: string, data?: any): void {
        this.sendMessage(JSON.stringify({ [this.route]: method, ...data }));
    }
}

/**
 * A WebSocket to one channel, as Pikku's `CorePikkuWebsocket`: routes by routing
 * property, and hands every message to the channel's subscribers.
 */
export class CorePikkuWebsocket {
    private readonly routes = new Map<string, CorePikkuRouteHandler>();

    private readonly subscriptions = new Set<Callback>();

    public onmessage: ((this: WebSocket, event: MessageEvent) => any) | null = null;

    constructor(protected readonly ws: WebSocket) {
        ws.binaryType = 'arraybuffer';
        ws.onmessage = (event) => this.handleMessage(event);
    }

    public getRoute(route: string | symbol | number): CorePikkuRouteHandler {
        const name = route.toString();
        let handler = this.routes.get(name);
        if (!handler) {
            handler = this.createRoute(name, (data) => this.ws.send(data));
            this.routes.set(name, handler);
        }
        return handler;
    }

    protected createRoute(route: string, send: (data: string) => void): CorePikkuRouteHandler {
        return new CorePikkuRouteHandler(route, send);
    }

    public send(data: unknown): void {
        this.ws.send(JSON.stringify(data));
    }

    public subscribe(callback: Callback): void {
        this.subscriptions.add(callback);
    }

    public unsubscribe(callback?: Callback): void {
        if (callback) {
            this.subscriptions.delete(callback);
        }
        else {
            this.subscriptions.clear();
        }
    }

    private handleMessage(event: MessageEvent): void {
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

/** The routing properties of a channel. */
export type RoutesOf<Channel extends keyof PikkuChannels> = keyof PikkuChannels[Channel]['routes'] & string;

/** The actions of one routing property of a channel. */
export type ActionsOf<Channel extends keyof PikkuChannels, Route extends RoutesOf<Channel> = DefaultRouteOf<Channel>> =
    keyof PikkuChannels[Channel]['routes'][Route] & string;

/** The routing property that {@link ChannelClient.call} uses: the channel's first. */
export type DefaultRouteOf<Channel extends keyof PikkuChannels> = PikkuChannels[Channel]['defaultRoute'] & RoutesOf<Channel>;

type ActionOf<Channel extends keyof PikkuChannels, Route extends RoutesOf<Channel>, Action extends ActionsOf<Channel, Route>> =
    PikkuChannels[Channel]['routes'][Route][Action] & ActionTypes;

interface ActionTypes {
    readonly input: unknown;
    readonly output: unknown;
    readonly reply: unknown;
    readonly error: PikkuErrorBody;
}

/** The input of an action. */
export type InputOf<Channel extends keyof PikkuChannels, Route extends RoutesOf<Channel>, Action extends ActionsOf<Channel, Route>> =
    ActionOf<Channel, Route, Action>['input'];

/** What an action answers: its function's output. */
export type OutputOf<Channel extends keyof PikkuChannels, Route extends RoutesOf<Channel>, Action extends ActionsOf<Channel, Route>> =
    ActionOf<Channel, Route, Action>['output'];

/** The errors an action may answer, one member per code. */
export type ErrorOf<Channel extends keyof PikkuChannels, Route extends RoutesOf<Channel>, Action extends ActionsOf<Channel, Route>> =
    ActionOf<Channel, Route, Action>['error'];

/** The topics a channel's connections receive deliveries of. */
export type TopicsOf<Channel extends keyof PikkuChannels> = keyof PikkuChannels[Channel]['topics'] & string;

/** A delivery on a topic: its payload, with the topic. */
export type DeliveryOf<Channel extends keyof PikkuChannels, Topic extends TopicsOf<Channel>> = PikkuChannels[Channel]['topics'][Topic];

/** What a channel's `onConnect` sends first, `never` when it sends nothing. */
export type ConnectOf<Channel extends keyof PikkuChannels> = PikkuChannels[Channel]['connect'];

/** The opening data of a channel: its path variables and query parameters. */
export type OpeningDataOf<Channel extends keyof PikkuChannels> = PikkuChannels[Channel]['openingData'];

/** The errors a channel answers outside any call (e.g. an invalid frame). */
export type ChannelErrorOf<Channel extends keyof PikkuChannels> = PikkuChannels[Channel]['error'];

/** A message a route's subscribers receive for one action: its reply, or its error. */
export type RouteMessageOf<Channel extends keyof PikkuChannels, Route extends RoutesOf<Channel>, Action extends ActionsOf<Channel, Route>> =
    ActionOf<Channel, Route, Action>['reply'] | ({ readonly [property in Route]: Action } & { readonly error: ErrorOf<Channel, Route, Action> });

type InputArgs<I> = [I] extends [Record<string, never>] ? [input?: I] : {} extends I ? [input?: I] : [input: I];

type OpeningDataArgs<Channel extends keyof PikkuChannels> =
    {} extends OpeningDataOf<Channel> ? [openingData?: OpeningDataOf<Channel>] : [openingData: OpeningDataOf<Channel>];

/** One routing property of a channel, typed: Pikku's generated `PikkuWebSocketRoute`. */
export class PikkuWebSocketRoute<Channel extends keyof ChannelsMap & keyof PikkuChannels, Route extends RoutesOf<Channel>> extends CorePikkuRouteHandler {
    /** Receives the replies and errors of an action, whoever sent the call. */
    public override subscribe<Action extends ActionsOf<Channel, Route>>(method: Action, callback: (data: RouteMessageOf<Channel, Route, Action>) => void): void {
        super.subscribe(method, callback);
    }

    public override unsubscribe<Action extends ActionsOf<Channel, Route>>(method: Action, callback?: (data: RouteMessageOf<Channel, Route, Action>) => void): void {
        super.unsubscribe(method, callback);
    }

    /** Calls an action; its reply goes to the action's subscribers. */
    public override send<Action extends ActionsOf<Channel, Route>>(method: Action, data: InputOf<Channel, Route, Action>): void {
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
export class PikkuWebSocket<Channel extends keyof ChannelsMap & keyof PikkuChannels> extends CorePikkuWebsocket {
    public override getRoute<Route extends RoutesOf<Channel>>(route: Route): PikkuWebSocketRoute<Channel, Route> {
        return super.getRoute(route) as PikkuWebSocketRoute<Channel, Route>;
    }

    protected override createRoute(route: string, send: (data: string) => void): CorePikkuRouteHandler {
        return new PikkuWebSocketRoute<Channel, RoutesOf<Channel>>(route, send);
    }

    /** Receives every message of the channel. */
    public override subscribe(callback: (data: unknown) => void): void {
        super.subscribe(callback);
    }

    public override unsubscribe(callback?: (data: unknown) => void): void {
        super.unsubscribe(callback);
    }

    /** Sends a frame without a routing property, to the channel's default handler. */
    public override send(data: PikkuChannels[Channel]['defaultMessage']['input']): void {
        super.send(data);
    }

    /** Receives the deliveries of one topic, with their payload typed. */
    public subscribeToEventHub<Topic extends TopicsOf<Channel>>(topic: Topic, callback: (data: DeliveryOf<Channel, Topic>) => void): void {
        super.subscribe((data) => {
            if (data && data.topic === topic) {
                callback(data as DeliveryOf<Channel, Topic>);
            }
        });
    }
}

// Beyond Pikku: a promise for each call, typed errors, topics, reconnects.

/** An error as the server answers it: a code, a message and details that depend on the code. */
export interface PikkuErrorBody {
    readonly code: string;
    readonly message: string;
    readonly details?: unknown;
}

/** The errors the client raises itself: no answer in time, the connection lost or closed. */
export interface PikkuClientErrorBody {
    readonly code: 'timeout' | 'disconnected' | 'closed';
    readonly message: string;
    readonly details?: undefined;
}

/**
 * A failed call: the server's error, or one of the client's own. Narrow it with
 * {@link ChannelClient.isError} to get the codes and details of an action.
 */
export class PikkuError<Body extends PikkuErrorBody = PikkuErrorBody> extends Error {
    /** The error as answered. */
    public readonly body: Body;

    /** The action of the failed call, if the error answered one. */
    public readonly action: string | undefined;

    constructor(body: Body, action?: string) {
        super(body.message || body.code);
        this.name = 'PikkuError';
        this.body = body;
        this.action = action;
    }

    /** The error code. */
    public get code(): Body['code'] {
        return this.body.code;
    }

    /** The details, whose type depends on the code. */
    public get details(): Body['details'] {
        return this.body.details;
    }
}

/** A channel's connection state. */
export type ChannelStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The platform's WebSocket class, or one with the same constructor (e.g. from the `ws` package). */
export type WebSocketClass = new (url: string) => WebSocket;

/** How a {@link PikkuClient} connects. */
export interface PikkuClientOptions {
    /** The WebSocket class; the platform's `WebSocket` unless given. */
    readonly WebSocket?: WebSocketClass;
    /** How long a call waits for its answer, connecting included; 10 seconds unless given. */
    readonly timeoutMs?: number;
    /** Whether to reconnect after a connection is lost, and how fast; on unless `false`. */
    readonly reconnect?: boolean | { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
    /**
     * A token sent as the `access_token` query parameter when connecting, so that the
     * handshake establishes the session (browsers cannot send an `Authorization` header).
     */
    readonly accessToken?: string | (() => string | null | undefined);
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
    private readonly baseUrl: string;

    constructor(baseUrl: string, private readonly options: PikkuClientOptions = {}) {
        this.baseUrl = baseUrl.replace(/\/+$/, '');
    }

    /**
     * A connection to a channel, opened on the first call or with `connect()`.
     * @param name the channel
     * @param openingData its path variables and query parameters
     */
    public channel<Channel extends keyof PikkuChannels & string>(name: Channel, ...openingData: OpeningDataArgs<Channel>): ChannelClient<Channel> {
        const info = pikkuInfo.channels[name];
        if (!info) {
            throw new Error(`Unknown channel '${name}'`);
        }
        const data: Record<string, unknown> = { ...(openingData[0] as object | undefined) };
        const path = info.route.replace(/\{([^}]+)\}/g, (match: string, variable: string) => {
            const value = data[variable];
            if (value === undefined || value === null) {
                throw new Error(`Channel '${name}' needs '${variable}' for its route ${info.route}`);
            }
            delete data[variable];
            return encodeURIComponent(String(value));
        });
        return new ChannelClient<Channel>(name, this.baseUrl + path, data, this.options);
    }
}

interface PendingCall {
    readonly resolve: (value: unknown) => void;
    readonly reject: (error: PikkuError<PikkuErrorBody>) => void;
    readonly timer: ReturnType<typeof setTimeout>;
    readonly wrapped: boolean;
    readonly routingProperty: string;
    readonly action: string;
    readonly frame: string;
    sent: boolean;
}

type Listener<T> = (value: T) => void;

/**
 * A connection to one channel: calls as promises, typed errors, topic deliveries, and a
 * reconnect with backoff after which the `onOpen` hooks run again (to log in and
 * re-subscribe: a new connection starts without a session and without topics).
 */
export class ChannelClient<Channel extends keyof PikkuChannels & string> {
    private socket: WebSocket | null = null;

    private state: ChannelStatus = 'idle';

    private attempt = 0;

    private nextId = 1;

    private retry: ReturnType<typeof setTimeout> | null = null;

    private awaitingConnect = false;

    private hooksDone = false;

    private readonly pending = new Map<string, PendingCall>();

    private readonly topics = new Map<string, Set<Listener<any>>>();

    private readonly hooks = new Set<(channel: ChannelClient<Channel>) => void | Promise<void>>();

    private readonly connectListeners = new Set<Listener<any>>();

    private readonly messageListeners = new Set<Listener<unknown>>();

    private readonly errorListeners = new Set<Listener<PikkuError<any>>>();

    private readonly statusListeners = new Set<(status: ChannelStatus) => void>();

    private readonly opened = new Set<() => void>();

    constructor(public readonly name: Channel, private readonly url: string, private readonly query: Record<string, unknown>,
        private readonly options: PikkuClientOptions) {
    }

    /** The connection state. */
    public get status(): ChannelStatus {
        return this.state;
    }

    /** Whether the connection is open. */
    public get isOpen(): boolean {
        return this.state === 'open';
    }

    /** Opens the connection, if not open yet; resolves once it is open. */
    public connect(): Promise<void> {
        if (this.state === 'open') {
            return Promise.resolve();
        }
        const opened = new Promise<void>((resolve) => this.opened.add(resolve));
        if (this.state === 'idle' || this.state === 'closed') {
            this.open();
        }
        return opened;
    }

    /** Closes the connection for good: no reconnect; waiting calls fail with `closed`. */
    public close(): void {
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
    public call<Action extends ActionsOf<Channel>>(action: Action, ...input: InputArgs<InputOf<Channel, DefaultRouteOf<Channel>, Action>>): Promise<OutputOf<Channel, DefaultRouteOf<Channel>, Action>> {
        return this.send(pikkuInfo.channels[this.name].routingProperty, action, input[0]) as Promise<OutputOf<Channel, DefaultRouteOf<Channel>, Action>>;
    }

    /** The actions of another routing property of the channel. */
    public route<Route extends RoutesOf<Channel>>(routingProperty: Route): {
        call<Action extends ActionsOf<Channel, Route>>(action: Action, ...input: InputArgs<InputOf<Channel, Route, Action>>): Promise<OutputOf<Channel, Route, Action>>;
    } {
        return {
            call: (action, ...input) => this.send(routingProperty, action, input[0]) as Promise<any>,
        };
    }

    /** Whether an error is a {@link PikkuError} of this action (its codes and the client's own). */
    public isError<Action extends ActionsOf<Channel>>(error: unknown, action: Action): error is PikkuError<ErrorOf<Channel, DefaultRouteOf<Channel>, Action> | PikkuClientErrorBody> {
        return error instanceof PikkuError && error.action === action;
    }

    /** Receives the deliveries of a topic (subscribe to it with an action first). */
    public on<Topic extends TopicsOf<Channel>>(topic: Topic, listener: (delivery: DeliveryOf<Channel, Topic>) => void): () => void {
        let listeners = this.topics.get(topic);
        if (!listeners) {
            listeners = new Set();
            this.topics.set(topic, listeners);
        }
        listeners.add(listener);
        return () => this.topics.get(topic)?.delete(listener);
    }

    /** Receives what the channel's `onConnect` sends, on every connect. */
    public onConnect(listener: (message: ConnectOf<Channel>) => void): () => void {
        return this.add(this.connectListeners, listener);
    }

    /** Receives the messages that are no reply, delivery or connect message. */
    public onMessage(listener: (message: unknown) => void): () => void {
        return this.add(this.messageListeners, listener);
    }

    /** Receives the errors that answer no call of this client (e.g. a frame that was too large). */
    public onError(listener: (error: PikkuError<ChannelErrorOf<Channel>>) => void): () => void {
        return this.add(this.errorListeners, listener);
    }

    /** Receives every change of the connection state. */
    public onStatus(listener: (status: ChannelStatus) => void): () => void {
        return this.add(this.statusListeners, listener);
    }

    /**
     * Runs after every connect, reconnects included, before calls that waited for the
     * connection go out: the place to log in and to subscribe to topics again.
     */
    public onOpen(hook: (channel: ChannelClient<Channel>) => void | Promise<void>): () => void {
        return this.add(this.hooks, hook);
    }

    private add<T>(listeners: Set<T>, listener: T): () => void {
        listeners.add(listener);
        return () => listeners.delete(listener);
    }

    private setStatus(status: ChannelStatus): void {
        if (this.state === status) {
            return;
        }
        this.state = status;
        this.statusListeners.forEach((listener) => listener(status));
    }

    private open(): void {
        this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
        this.hooksDone = false;
        const WebSocketClass: WebSocketClass = this.options.WebSocket ?? WebSocket;
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

    private address(): string {
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

    private async runHooks(socket: WebSocket): Promise<void> {
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

    private send(routingProperty: string, action: string, input: unknown): Promise<unknown> {
        if (this.state === 'closed') {
            return Promise.reject(this.error(action, { code: 'closed', message: 'Connection closed' }));
        }
        const id = String(this.nextId++);
        const info = pikkuInfo.channels[this.name];
        const frame = JSON.stringify({ ...(input as object | undefined), [routingProperty]: action, [pikkuInfo.correlationField]: id });
        const promise = new Promise<unknown>((resolve, reject) => {
            const timer = setTimeout(() => {
                this.pending.delete(id);
                reject(this.error(action, { code: 'timeout', message: 'No answer from the server in time' }));
            }, this.options.timeoutMs ?? 10000);
            const wrapped = (info.wrapped[routingProperty] ?? []).includes(action);
            this.pending.set(id, { resolve, reject, timer, wrapped, routingProperty, action, frame, sent: false });
        });
        const call = this.pending.get(id)!;
        if (this.state === 'idle') {
            this.open();
        }
        else if (this.state === 'open') {
            // Calls made while the onOpen hooks run (theirs, typically) go at once.
            this.transmit(call, true);
        }
        return promise;
    }

    private transmit(call: PendingCall, evenDuringHooks = false): void {
        const socket = this.socket;
        if (call.sent || !socket || socket.readyState !== 1 || (!this.hooksDone && !evenDuringHooks)) {
            return;
        }
        call.sent = true;
        socket.send(call.frame);
    }

    private error(action: string, body: PikkuErrorBody): PikkuError<PikkuErrorBody> {
        return new PikkuError(body, action);
    }

    private failAll(body: PikkuClientErrorBody, evenUnsent: boolean): void {
        this.pending.forEach((call, id) => {
            if (call.sent || evenUnsent) {
                clearTimeout(call.timer);
                this.pending.delete(id);
                call.reject(this.error(call.action, body));
            }
        });
    }

    private dispatch(text: string): void {
        let message: any;
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
            const error = new PikkuError(message.error as PikkuErrorBody);
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

    private output(message: Record<string, unknown>, call: PendingCall): unknown {
        if (call.wrapped) {
            return message.result;
        }
        const output: Record<string, unknown> = { ...message };
        delete output[call.routingProperty];
        delete output[pikkuInfo.correlationField];
        return output;
    }
}

import type { ChannelsMap, PikkuChannels } from './stub.js';
type Callback = (data: any) => void;
/**
 * One routing property of a channel, as in Pikku's `@pikku/websocket`: sends
 * `{[routingProperty]: method, ...data}` and hands every message whose routing property
 * names a method to that method's subscribers.
 */
export declare class CorePikkuRouteHandler {
    protected readonly route: string;
    private readonly sendMessage;
    private readonly subscriptions;
    constructor(route: string, sendMessage: (data: string) => void);
    _handleMessage(method: unknown, data: unknown): void;
    subscribe(method: string, callback: Callback): void;
    unsubscribe(method: string, callback?: Callback): void;
    send(method: string, data?: any): void;
}
/**
 * A WebSocket to one channel, as Pikku's `CorePikkuWebsocket`: routes by routing
 * property, and hands every message to the channel's subscribers.
 */
export declare class CorePikkuWebsocket {
    protected readonly ws: WebSocket;
    private readonly routes;
    private readonly subscriptions;
    onmessage: ((this: WebSocket, event: MessageEvent) => any) | null;
    constructor(ws: WebSocket);
    getRoute(route: string | symbol | number): CorePikkuRouteHandler;
    protected createRoute(route: string, send: (data: string) => void): CorePikkuRouteHandler;
    send(data: unknown): void;
    subscribe(callback: Callback): void;
    unsubscribe(callback?: Callback): void;
    private handleMessage;
}
/** The routing properties of a channel. */
export type RoutesOf<Channel extends keyof PikkuChannels> = keyof PikkuChannels[Channel]['routes'] & string;
/** The actions of one routing property of a channel. */
export type ActionsOf<Channel extends keyof PikkuChannels, Route extends RoutesOf<Channel> = DefaultRouteOf<Channel>> = keyof PikkuChannels[Channel]['routes'][Route] & string;
/** The routing property that {@link ChannelClient.call} uses: the channel's first. */
export type DefaultRouteOf<Channel extends keyof PikkuChannels> = PikkuChannels[Channel]['defaultRoute'] & RoutesOf<Channel>;
type ActionOf<Channel extends keyof PikkuChannels, Route extends RoutesOf<Channel>, Action extends ActionsOf<Channel, Route>> = PikkuChannels[Channel]['routes'][Route][Action] & ActionTypes;
interface ActionTypes {
    readonly input: unknown;
    readonly output: unknown;
    readonly reply: unknown;
    readonly error: PikkuErrorBody;
}
/** The input of an action. */
export type InputOf<Channel extends keyof PikkuChannels, Route extends RoutesOf<Channel>, Action extends ActionsOf<Channel, Route>> = ActionOf<Channel, Route, Action>['input'];
/** What an action answers: its function's output. */
export type OutputOf<Channel extends keyof PikkuChannels, Route extends RoutesOf<Channel>, Action extends ActionsOf<Channel, Route>> = ActionOf<Channel, Route, Action>['output'];
/** The errors an action may answer, one member per code. */
export type ErrorOf<Channel extends keyof PikkuChannels, Route extends RoutesOf<Channel>, Action extends ActionsOf<Channel, Route>> = ActionOf<Channel, Route, Action>['error'];
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
export type RouteMessageOf<Channel extends keyof PikkuChannels, Route extends RoutesOf<Channel>, Action extends ActionsOf<Channel, Route>> = ActionOf<Channel, Route, Action>['reply'] | ({
    readonly [property in Route]: Action;
} & {
    readonly error: ErrorOf<Channel, Route, Action>;
});
type InputArgs<I> = [I] extends [Record<string, never>] ? [input?: I] : {} extends I ? [input?: I] : [input: I];
type OpeningDataArgs<Channel extends keyof PikkuChannels> = {} extends OpeningDataOf<Channel> ? [openingData?: OpeningDataOf<Channel>] : [openingData: OpeningDataOf<Channel>];
/** One routing property of a channel, typed: Pikku's generated `PikkuWebSocketRoute`. */
export declare class PikkuWebSocketRoute<Channel extends keyof ChannelsMap & keyof PikkuChannels, Route extends RoutesOf<Channel>> extends CorePikkuRouteHandler {
    /** Receives the replies and errors of an action, whoever sent the call. */
    subscribe<Action extends ActionsOf<Channel, Route>>(method: Action, callback: (data: RouteMessageOf<Channel, Route, Action>) => void): void;
    unsubscribe<Action extends ActionsOf<Channel, Route>>(method: Action, callback?: (data: RouteMessageOf<Channel, Route, Action>) => void): void;
    /** Calls an action; its reply goes to the action's subscribers. */
    send<Action extends ActionsOf<Channel, Route>>(method: Action, data: InputOf<Channel, Route, Action>): void;
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
export declare class PikkuWebSocket<Channel extends keyof ChannelsMap & keyof PikkuChannels> extends CorePikkuWebsocket {
    getRoute<Route extends RoutesOf<Channel>>(route: Route): PikkuWebSocketRoute<Channel, Route>;
    protected createRoute(route: string, send: (data: string) => void): CorePikkuRouteHandler;
    /** Receives every message of the channel. */
    subscribe(callback: (data: unknown) => void): void;
    unsubscribe(callback?: (data: unknown) => void): void;
    /** Sends a frame without a routing property, to the channel's default handler. */
    send(data: PikkuChannels[Channel]['defaultMessage']['input']): void;
    /** Receives the deliveries of one topic, with their payload typed. */
    subscribeToEventHub<Topic extends TopicsOf<Channel>>(topic: Topic, callback: (data: DeliveryOf<Channel, Topic>) => void): void;
}
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
export declare class PikkuError<Body extends PikkuErrorBody = PikkuErrorBody> extends Error {
    /** The error as answered. */
    readonly body: Body;
    /** The action of the failed call, if the error answered one. */
    readonly action: string | undefined;
    constructor(body: Body, action?: string);
    /** The error code. */
    get code(): Body['code'];
    /** The details, whose type depends on the code. */
    get details(): Body['details'];
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
    readonly reconnect?: boolean | {
        readonly initialDelayMs?: number;
        readonly maxDelayMs?: number;
    };
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
export declare class PikkuClient {
    private readonly options;
    private readonly baseUrl;
    constructor(baseUrl: string, options?: PikkuClientOptions);
    /**
     * A connection to a channel, opened on the first call or with `connect()`.
     * @param name the channel
     * @param openingData its path variables and query parameters
     */
    channel<Channel extends keyof PikkuChannels & string>(name: Channel, ...openingData: OpeningDataArgs<Channel>): ChannelClient<Channel>;
}
/**
 * A connection to one channel: calls as promises, typed errors, topic deliveries, and a
 * reconnect with backoff after which the `onOpen` hooks run again (to log in and
 * re-subscribe: a new connection starts without a session and without topics).
 */
export declare class ChannelClient<Channel extends keyof PikkuChannels & string> {
    readonly name: Channel;
    private readonly url;
    private readonly query;
    private readonly options;
    private socket;
    private state;
    private attempt;
    private nextId;
    private retry;
    private awaitingConnect;
    private hooksDone;
    private readonly pending;
    private readonly topics;
    private readonly hooks;
    private readonly connectListeners;
    private readonly messageListeners;
    private readonly errorListeners;
    private readonly statusListeners;
    private readonly opened;
    constructor(name: Channel, url: string, query: Record<string, unknown>, options: PikkuClientOptions);
    /** The connection state. */
    get status(): ChannelStatus;
    /** Whether the connection is open. */
    get isOpen(): boolean;
    /** Opens the connection, if not open yet; resolves once it is open. */
    connect(): Promise<void>;
    /** Closes the connection for good: no reconnect; waiting calls fail with `closed`. */
    close(): void;
    /**
     * Calls an action of the channel's first routing property: resolves with its output,
     * or rejects with a {@link PikkuError}. Waits for the connection (opening it if idle),
     * and for the `onOpen` hooks after a reconnect.
     */
    call<Action extends ActionsOf<Channel>>(action: Action, ...input: InputArgs<InputOf<Channel, DefaultRouteOf<Channel>, Action>>): Promise<OutputOf<Channel, DefaultRouteOf<Channel>, Action>>;
    /** The actions of another routing property of the channel. */
    route<Route extends RoutesOf<Channel>>(routingProperty: Route): {
        call<Action extends ActionsOf<Channel, Route>>(action: Action, ...input: InputArgs<InputOf<Channel, Route, Action>>): Promise<OutputOf<Channel, Route, Action>>;
    };
    /** Whether an error is a {@link PikkuError} of this action (its codes and the client's own). */
    isError<Action extends ActionsOf<Channel>>(error: unknown, action: Action): error is PikkuError<ErrorOf<Channel, DefaultRouteOf<Channel>, Action> | PikkuClientErrorBody>;
    /** Receives the deliveries of a topic (subscribe to it with an action first). */
    on<Topic extends TopicsOf<Channel>>(topic: Topic, listener: (delivery: DeliveryOf<Channel, Topic>) => void): () => void;
    /** Receives what the channel's `onConnect` sends, on every connect. */
    onConnect(listener: (message: ConnectOf<Channel>) => void): () => void;
    /** Receives the messages that are no reply, delivery or connect message. */
    onMessage(listener: (message: unknown) => void): () => void;
    /** Receives the errors that answer no call of this client (e.g. a frame that was too large). */
    onError(listener: (error: PikkuError<ChannelErrorOf<Channel>>) => void): () => void;
    /** Receives every change of the connection state. */
    onStatus(listener: (status: ChannelStatus) => void): () => void;
    /**
     * Runs after every connect, reconnects included, before calls that waited for the
     * connection go out: the place to log in and to subscribe to topics again.
     */
    onOpen(hook: (channel: ChannelClient<Channel>) => void | Promise<void>): () => void;
    private add;
    private setStatus;
    private open;
    private address;
    private runHooks;
    private send;
    private transmit;
    private error;
    private failAll;
    private dispatch;
    private output;
}
export {};

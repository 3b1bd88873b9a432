// Stands in for the generated types, so that the runtime compiles on its own.
import type { PikkuErrorBody } from './runtime.js';

interface StubAction {
    readonly input: unknown;
    readonly output: unknown;
    readonly reply: unknown;
    readonly error: PikkuErrorBody;
}

interface StubChannel {
    readonly openingData: Record<string, unknown>;
    readonly connect: unknown;
    readonly defaultRoute: string;
    readonly routes: { readonly [routingProperty: string]: { readonly [action: string]: StubAction } };
    readonly defaultMessage: { readonly input: unknown; readonly output: unknown };
    readonly topics: { readonly [topic: string]: unknown };
    readonly error: PikkuErrorBody;
}

export type PikkuChannels = { readonly [channel: string]: StubChannel };

export type ChannelsMap = {
    readonly [channel: string]: {
        readonly routes: { readonly [routingProperty: string]: { readonly [action: string]: { input: unknown; output: unknown } } };
    };
};

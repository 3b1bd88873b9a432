// Uses the client generated for TestChannels the way an application would; the lines
// marked @ts-expect-error must not type-check.
import { PikkuClient, PikkuWebSocket, PikkuError } from './pikku-websocket.gen.js';
import type { Sent, Users, ChannelsMap, ChannelRouteHandlerOf, EventHubTopics } from './pikku-websocket.gen.js';

export async function promiseClient(token: string): Promise<void> {
    const client = new PikkuClient('ws://localhost:8080', { timeoutMs: 5000, reconnect: { maxDelayMs: 2000 } });
    const chat = client.channel('chat', { room: 'general', name: 'Ann' });
    chat.onOpen(async (open) => {
        await open.call('authenticate', { token });
    });
    chat.onConnect((welcome) => console.log(welcome.welcome));
    chat.onStatus((status) => console.log(status));
    const sent: Sent = await chat.call('sendMessage', { message: 'hi' });
    const users: Users = await chat.call('who');
    const sum: number = await chat.call('add', { a: 1, b: 2 });
    const stopped: void = await chat.route('command').call('stop');
    chat.on('room:general', (delivery) => console.log(delivery.message, delivery.topic));
    chat.on('announcements', (announcement) => console.log(announcement.text));
    try {
        await chat.call('sendMessage', { message: '' });
    }
    catch (error) {
        if (chat.isError(error, 'sendMessage')) {
            switch (error.body.code) {
                case 'validation_failed':
                    console.log(error.body.details.map((detail) => detail.field));
                    break;
                case 'rate_limited':
                    console.log(error.body.details.retryAfterMs);
                    break;
                case 'timeout':
                    console.log('retry later');
                    break;
                default:
                    console.log(error.code, error.message);
            }
        }
        else if (error instanceof PikkuError) {
            console.log(error.code);
        }
    }
    chat.onError((error) => console.log(error.code === 'too_large', error.details));
    const echo = client.channel('echo');
    echo.on('anything at all', (delivery) => console.log(delivery.topic));
    console.log(sent.timestamp, users.users, sum, stopped);
    // @ts-expect-error: no such action
    await chat.call('nope');
    // @ts-expect-error: wrong input
    await chat.call('sendMessage', { text: 'hi' });
    // @ts-expect-error: the input is needed
    await chat.call('sendMessage');
    // @ts-expect-error: the room is needed
    client.channel('chat');
    // @ts-expect-error: no such channel
    client.channel('lobby');
    // @ts-expect-error: no such topic on chat
    chat.on('todos:updated', () => undefined);
}

export function pikkuShapes(): void {
    const pikku = new PikkuWebSocket<'chat'>(new WebSocket('ws://localhost:8080/chat/general'));
    const route = pikku.getRoute('action');
    route.subscribe('sendMessage', (data) => {
        if ('error' in data) {
            console.log(data.error.code);
        }
        else {
            console.log(data.message, data.timestamp);
        }
    });
    route.send('sendMessage', { message: 'hi' });
    pikku.getRoute('command').send('stop', {});
    pikku.subscribeToEventHub('room:general', (delivery) => console.log(delivery.userId));
    const handler: ChannelRouteHandlerOf<'chat', 'action', 'add'>['output'] = 3;
    const topics: keyof EventHubTopics = 'announcements';
    const map: keyof ChannelsMap['chat']['routes'] = 'command';
    console.log(handler, topics, map);
    // @ts-expect-error: wrong input
    route.send('sendMessage', { msg: 'hi' });
    // @ts-expect-error: no such routing property
    pikku.getRoute('verb');
}

// The sample's generated client in use, the way an application written in TypeScript
// would use it; the lines marked @ts-expect-error must not type-check.
import { PikkuClient, PikkuWebSocket } from './pikku-websocket.gen.js';
import type { Sent, Todo, TodoEvent, ClearedEvent, Welcome } from './pikku-websocket.gen.js';

export async function todosAndChat(token: string): Promise<void> {
    const client = new PikkuClient('ws://localhost:8080');
    const todos = client.channel('todos');
    todos.onOpen(async (open) => {
        await open.call('auth', { token });
        await open.call('subscribe');
    });
    todos.on('todos:updated', (update) => {
        const event: TodoEvent | ClearedEvent = update;
        if ('todo' in event) {
            console.log(update.topic, event.event, event.todo.text);
        }
        else {
            console.log(event.cleared);
        }
    });
    const { todo } = await todos.call('create', { text: 'Buy milk' });
    const done: Todo = (await todos.call('complete', { id: todo.id })).todo;
    const all: Todo[] = (await todos.call('list')).todos;
    try {
        await todos.call('complete', { id: 'missing' });
    }
    catch (error) {
        if (todos.isError(error, 'complete') && error.body.code === 'not_found') {
            console.log(error.message);
        }
        else if (todos.isError(error, 'complete') && error.body.code === 'validation_failed') {
            console.log(error.body.details.map((problem) => problem.message));
        }
    }
    const chat = client.channel('chat', { room: 'general' });
    chat.onConnect((message) => {
        const welcome: Welcome = message;
        console.log(welcome.welcome);
    });
    chat.on('room:general', (delivery) => console.log(delivery.userId, delivery.message, delivery.timestamp));
    const sent: Sent = await chat.call('sendMessage', { message: 'Hi' });
    const { users } = await chat.call('who');
    console.log(done, all, sent.timestamp, users);
    // @ts-expect-error: the text is a string
    await todos.call('create', { text: 1 });
    // @ts-expect-error: todos has no such action
    await todos.call('sendMessage', { message: 'Hi' });
    // @ts-expect-error: chat needs its room
    client.channel('chat');
    // @ts-expect-error: a todos delivery has no userId
    todos.on('todos:updated', (update) => console.log(update.userId));
}

export function pikkuStyle(): void {
    const pikku = new PikkuWebSocket<'todos'>(new WebSocket('ws://localhost:8080/todos'));
    const route = pikku.getRoute('action');
    route.subscribe('create', (data) => console.log('error' in data ? data.error.code : data.todo.text));
    route.send('create', { text: 'Buy milk' });
    pikku.subscribeToEventHub('todos:updated', (update) => console.log(update.event));
    // @ts-expect-error: wrong input
    route.send('create', { title: 'Buy milk' });
}

package io.pikku.sample.todos;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import io.pikku.channel.ChannelDefinition;
import io.pikku.channel.ChannelErrorCodes;
import io.pikku.channel.PikkuException;
import io.pikku.channel.PikkuFunction;
import io.pikku.eventhub.EventHub;
import io.pikku.sample.security.Authenticated;
import io.pikku.sample.security.Token;
import io.pikku.security.SpringSecurityPermissions;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The {@code todos} channel at {@code /todos}: a shared list; every change is published
 * to the {@code todos:updated} topic; only admins may clear it.
 */
@Configuration(proxyBeanMethods = false)
public class TodosChannelConfiguration {

	/** The topic every change is published to. */
	public static final String TOPIC = "todos:updated";

	@Bean
	ChannelDefinition<?> todosChannel(TodoRepository todos, EventHub eventHub,
			PikkuFunction<Token, Authenticated> authenticate) {
		return ChannelDefinition.builder("todos", "/todos")
			.action("auth", authenticate)
			.action("subscribe", subscribe(eventHub))
			.action("list",
					PikkuFunction.builder(Void.class)
						.summary("Lists the todos")
						.returns(TodoList.class)
						.handler((input, context) -> new TodoList(todos.findAll()))
						.build())
			.action("create", create(todos, eventHub))
			.action("complete", complete(todos, eventHub))
			.action("clear", clear(todos, eventHub))
			.publishes("todos:updated", TodoEvent.class)
			.publishes("todos:updated", ClearedEvent.class)
			.tags("todos")
			.summary("A shared todo list with live updates")
			.build();
	}

	private static PikkuFunction<Void, CompletionStage<Subscribed>> subscribe(EventHub eventHub) {
		return PikkuFunction.builder(Void.class)
			.summary("Receives every change to the list")
			.returns(Subscribed.class)
			.handler((input, context) -> eventHub.subscribe(TOPIC, context.channel().channelId())
				.thenApply((done) -> new Subscribed(true)))
			.build();
	}

	private static PikkuFunction<NewTodo, CompletionStage<TodoReply>> create(TodoRepository todos, EventHub eventHub) {
		return PikkuFunction.builder(NewTodo.class)
			.summary("Adds a todo")
			.returns(TodoReply.class)
			.handler((input, context) -> {
				Todo todo = new Todo(UUID.randomUUID().toString(), input.text(), false,
						context.requireSession().userId());
				todos.save(todo);
				return eventHub.publish(TOPIC, null, new TodoEvent("created", todo))
					.thenApply((published) -> new TodoReply(todo));
			})
			.build();
	}

	private static PikkuFunction<TodoId, CompletionStage<TodoReply>> complete(TodoRepository todos, EventHub eventHub) {
		return PikkuFunction.builder(TodoId.class)
			.summary("Marks a todo done")
			.returns(TodoReply.class)
			.errors(ChannelErrorCodes.NOT_FOUND)
			.handler((input, context) -> {
				Todo todo = todos.findById(input.id())
					.orElseThrow(() -> PikkuException.notFound("No todo with id " + input.id()))
					.complete();
				todos.save(todo);
				return eventHub.publish(TOPIC, null, new TodoEvent("completed", todo))
					.thenApply((published) -> new TodoReply(todo));
			})
			.build();
	}

	private static PikkuFunction<Void, CompletionStage<Cleared>> clear(TodoRepository todos, EventHub eventHub) {
		return PikkuFunction.builder(Void.class)
			.summary("Deletes every todo (admins only)")
			.permission("admin", SpringSecurityPermissions.hasRole("ADMIN"))
			.returns(Cleared.class)
			.handler((input, context) -> {
				long cleared = todos.deleteAll();
				return eventHub.publish(TOPIC, null, new ClearedEvent("cleared", cleared))
					.thenApply((published) -> new Cleared(cleared));
			})
			.build();
	}

	@Bean
	@Profile("!redis & !gateway")
	TodoRepository inMemoryTodoRepository() {
		return new InMemoryTodoRepository();
	}

	@Bean
	@Profile("redis | gateway")
	TodoRepository redisTodoRepository(StringRedisTemplate redis, JsonMapper json) {
		return new RedisTodoRepository(redis, json);
	}

	/**
	 * The input of {@code create}.
	 *
	 * @param text 1 to 500 characters
	 */
	public record NewTodo(@NotNull @Size(min = 1, max = 500) String text) {
	}

	/**
	 * The input of {@code complete}.
	 *
	 * @param id the todo's id
	 */
	public record TodoId(@NotBlank @Size(max = 64) String id) {
	}

	/**
	 * A reply carrying one todo.
	 *
	 * @param todo the todo
	 */
	public record TodoReply(Todo todo) {
	}

	/**
	 * The reply to {@code list}.
	 *
	 * @param todos every todo
	 */
	public record TodoList(List<Todo> todos) {
	}

	/**
	 * The reply to {@code subscribe}.
	 *
	 * @param subscribed always true
	 */
	public record Subscribed(boolean subscribed) {
	}

	/**
	 * The reply to {@code clear}.
	 *
	 * @param cleared how many todos were deleted
	 */
	public record Cleared(long cleared) {
	}

	/**
	 * What subscribers receive when a todo changes.
	 *
	 * @param event {@code created} or {@code completed}
	 * @param todo the todo
	 */
	public record TodoEvent(String event, Todo todo) {
	}

	/**
	 * What subscribers receive when the list is cleared.
	 *
	 * @param event {@code cleared}
	 * @param cleared how many todos were deleted
	 */
	public record ClearedEvent(String event, long cleared) {
	}

}

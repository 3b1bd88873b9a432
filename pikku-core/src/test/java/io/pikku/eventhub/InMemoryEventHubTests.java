package io.pikku.eventhub;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.pikku.store.ChannelStore;
import io.pikku.store.InMemoryChannelStore;
import io.pikku.test.EventHubContractTests;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The in-memory EventHub and channel store keep the contract.
 */
class InMemoryEventHubTests extends EventHubContractTests {

	@Override
	protected ChannelStore createStore() {
		return new InMemoryChannelStore();
	}

	@Override
	protected void limitSubscriptions(EventHub hub, SubscriptionLimit limit) {
		((InMemoryEventHub) hub).setSubscriptionLimit(limit);
	}

	@Test
	void countsPublishesAndDeliveries() {
		InMemoryEventHub hub = (InMemoryEventHub) hub();
		String alice = connect("alice");
		String bob = connect("bob");
		join(hub.subscribe("t", alice));
		join(hub.subscribe("t", bob));
		join(hub.publish("t", alice, Map.of("n", 1)));
		join(hub.publish("t", null, Map.of("n", 2)));
		join(hub.publish("nobody", null, Map.of("n", 3)));
		assertThat(hub.published()).isEqualTo(3);
		assertThat(hub.delivered()).isEqualTo(3);
	}

	@Test
	void deliversToTheRecipientFoundWhenTheConnectionSubscribed() {
		InMemoryEventHub hub = (InMemoryEventHub) hub();
		List<String> received = new CopyOnWriteArrayList<>();
		AtomicInteger found = new AtomicInteger();
		bindRecipients(hub, (channelId) -> {
			found.incrementAndGet();
			return (delivery) -> received.add(channelId + " " + delivery.text());
		});
		join(hub.subscribe("t", "a"));
		join(hub.subscribe("t", "a"));
		join(hub.publish("t", null, Map.of("n", 1)));
		join(hub.publish("t", null, Map.of("n", 2)));
		assertThat(received).containsExactly("a {\"topic\":\"t\",\"n\":1}", "a {\"topic\":\"t\",\"n\":2}");
		assertThat(found).hasValue(2);
	}

	@Test
	void aConnectionThatLeftATopicIsNotKeptReachableByIt() {
		InMemoryEventHub hub = (InMemoryEventHub) hub();
		Map<String, WeakReference<LocalDelivery.Recipient>> recipients = new ConcurrentHashMap<>();
		bindRecipients(hub, (channelId) -> {
			LocalDelivery.Recipient recipient = (delivery) -> !channelId.isEmpty();
			recipients.put(channelId, new WeakReference<>(recipient));
			return recipient;
		});
		join(hub.subscribe("t", "gone"));
		join(hub.subscribe("t", "staying"));
		join(hub.publish("t", null, Map.of("n", 1)));
		join(hub.channelClosed("gone"));
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			System.gc();
			return recipients.get("gone").get() == null;
		});
		assertThat(recipients.get("staying").get()).isNotNull();
		assertThat(hub.delivered()).isEqualTo(2);
	}

	@Test
	void publishSeesEveryChangeMadeSinceThePreviousOne() {
		InMemoryEventHub hub = (InMemoryEventHub) hub();
		String alice = connect("alice");
		String bob = connect("bob");
		join(hub.subscribe("t", alice));
		join(hub.publish("t", null, Map.of("n", 1)));
		join(hub.subscribe("t", bob));
		join(hub.publish("t", null, Map.of("n", 2)));
		join(hub.unsubscribe("t", alice));
		join(hub.publish("t", null, Map.of("n", 3)));
		join(hub.unsubscribe("t", bob));
		join(hub.publish("t", null, Map.of("n", 4)));
		join(hub.subscribe("t", alice));
		join(hub.publish("t", null, Map.of("n", 5)));
		assertThat(deliveredTo(alice)).containsExactly("{\"topic\":\"t\",\"n\":1}", "{\"topic\":\"t\",\"n\":2}",
				"{\"topic\":\"t\",\"n\":5}");
		assertThat(deliveredTo(bob)).containsExactly("{\"topic\":\"t\",\"n\":2}", "{\"topic\":\"t\",\"n\":3}");
	}

	@Test
	void aSubscriptionIsInForceWhenItCompletesWhileOthersEmptyAndRefillTheTopic() throws Exception {
		InMemoryEventHub hub = (InMemoryEventHub) hub();
		Map<String, AtomicInteger> ownReceived = Map.of("a", new AtomicInteger(), "b", new AtomicInteger());
		hub.bind((channelId, delivery) -> {
			if (delivery.text().contains("\"from\":\"" + channelId + "\"")) {
				ownReceived.get(channelId).incrementAndGet();
			}
			return true;
		}, (message) -> {
		});
		int rounds = 20_000;
		List<Thread> threads = new ArrayList<>();
		for (String channelId : ownReceived.keySet()) {
			threads.add(new Thread(() -> {
				for (int i = 0; i < rounds; i++) {
					join(hub.subscribe("t", channelId));
					join(hub.publish("t", null, Map.of("from", channelId)));
					join(hub.unsubscribe("t", channelId));
				}
			}));
		}
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join(30_000);
		}
		assertThat(ownReceived.get("a")).hasValue(rounds);
		assertThat(ownReceived.get("b")).hasValue(rounds);
		assertThat(hub.topicCount()).isZero();
	}

	/**
	 * Binds the hub to connections whose recipients the given function makes, and which
	 * fail the test if a delivery looks one up by id instead.
	 */
	private static void bindRecipients(InMemoryEventHub hub, Function<String, LocalDelivery.Recipient> recipients) {
		hub.bind(new LocalDelivery() {

			@Override
			public boolean deliver(String channelId, Delivery delivery) {
				throw new AssertionError("looked up " + channelId + " for a delivery");
			}

			@Override
			public Recipient recipient(String channelId) {
				return recipients.apply(channelId);
			}

		}, (message) -> {
		});
	}

	@Override
	protected AbstractEventHub createHub(ChannelStore store) {
		return new InMemoryEventHub(json, store);
	}

}

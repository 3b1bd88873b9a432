package io.pikku.gateway.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.pikku.eventhub.AbstractEventHub;
import io.pikku.eventhub.EventHub;
import io.pikku.eventhub.SubscriptionLimit;
import io.pikku.eventhub.TopicSubscriber;
import io.pikku.store.ChannelRecord;
import io.pikku.store.ChannelStore;
import io.pikku.test.EventHubContractTests;
import io.pikku.test.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's Redis EventHub and store on a real Redis server: the shared EventHub
 * contract, then what the gateway runtime needs of them.
 */
class RedisGatewayEventHubTests extends EventHubContractTests {

	static TestRedis redis;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final String prefix = "test-" + UUID.randomUUID() + ":";

	@BeforeAll
	static void startRedis() {
		redis = TestRedis.start();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@AfterEach
	void closeResources() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	static ReactiveStringRedisTemplate template(List<AutoCloseable> resources) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		factory.afterPropertiesSet();
		factory.start();
		resources.add(0, factory::destroy);
		return new ReactiveStringRedisTemplate(factory);
	}

	@Override
	protected ChannelStore createStore() {
		return new RedisStatelessChannelStore(template(this.resources), json, this.prefix, Duration.ofHours(2));
	}

	@Override
	protected AbstractEventHub createHub(ChannelStore store) {
		return new RedisGatewayEventHub(template(this.resources), json, (RedisStatelessChannelStore) store, this.prefix,
				Duration.ofHours(2));
	}

	@Override
	protected void limitSubscriptions(EventHub hub, SubscriptionLimit limit) {
		((RedisGatewayEventHub) hub).setSubscriptionLimit(limit);
	}

	private RedisStatelessChannelStore gatewayStore() {
		return (RedisStatelessChannelStore) store();
	}

	@Test
	void aSessionWriteAndAStateWriteNeverOverwriteEachOther() {
		String channel = connect("alice");
		// both written "at once": each touches its own field only
		join(gatewayStore().setState(channel, json.readTree("{\"n\":1}"))
			.thenCombine(gatewayStore().setSession(channel, "bob", json.readTree("{\"userId\":\"bob\"}")),
					(a, b) -> null));
		ChannelRecord record = join(store().get(channel)).orElseThrow();
		assertThat(record.state().toString()).isEqualTo("{\"n\":1}");
		assertThat(record.userId()).isEqualTo("bob");
	}

	@Test
	void theUserIndexFollowsSessionsAndRemovals() {
		String first = connect("alice");
		String second = connect("alice");
		String other = connect("bob");
		assertThat(join(gatewayStore().channelsOfUser("alice"))).containsExactlyInAnyOrder(first, second);
		join(store().setSession(second, "bob", null));
		assertThat(join(gatewayStore().channelsOfUser("alice"))).containsExactly(first);
		assertThat(join(gatewayStore().channelsOfUser("bob"))).containsExactlyInAnyOrder(second, other);
		join(store().remove(first));
		join(store().remove(first));
		assertThat(join(gatewayStore().channelsOfUser("alice"))).isEmpty();
	}

	@Test
	void recordsExpireAfterTheirTimeToLive() throws InterruptedException {
		RedisStatelessChannelStore shortLived = new RedisStatelessChannelStore(template(this.resources), json,
				this.prefix, Duration.ofMillis(300));
		join(shortLived.add(new ChannelRecord("c-short", "chat", json.readTree("{}"), "carol", null, null)));
		assertThat(join(shortLived.get("c-short"))).isPresent();
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> join(shortLived.get("c-short")).isEmpty()
					&& join(shortLived.channelsOfUser("carol")).isEmpty());
	}

	@Test
	void eventsOfOneConnectionRunOneAtATimeAcrossStores() {
		RedisStatelessChannelStore other = new RedisStatelessChannelStore(template(this.resources), json, this.prefix,
				Duration.ofHours(2));
		String channel = connect("alice");
		join(store().setState(channel, json.readTree("0")));
		List<java.util.concurrent.CompletableFuture<Void>> events = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			RedisStatelessChannelStore store = (i % 2 == 0) ? gatewayStore() : other;
			events.add(store.exclusive(channel, () -> store.get(channel).thenCompose((record) -> {
				int count = record.orElseThrow().state().asInt();
				return store.setState(channel, json.readTree(Integer.toString(count + 1)));
			})).toCompletableFuture());
		}
		join(java.util.concurrent.CompletableFuture
			.allOf(events.toArray(java.util.concurrent.CompletableFuture[]::new)));
		assertThat(join(store().get(channel)).orElseThrow().state().asInt()).isEqualTo(20);
	}

	@Test
	void aClosedConnectionLeavesEveryTopicEvenWhenItsRecordIsGone() {
		String alice = connect("alice");
		join(hub().subscribe("a", alice));
		join(hub().subscribe("b", alice));
		join(store().remove(alice));
		join(hub().channelClosed(alice));
		assertThat(join(hub().subscribers("a"))).isEmpty();
		assertThat(join(((RedisGatewayEventHub) hub()).topicsOf(alice))).isEmpty();
		join(hub().publish("a", null, Map.of("n", 1)));
		assertThat(deliveredTo(alice)).isEmpty();
	}

	@Test
	void aConnectionWhoseRecordExpiredLeavesItsTopicAndItsUserAtTheirNextRead() {
		String alice = connect("alice");
		String bob = connect("bob");
		join(hub().subscribe("room", alice));
		join(hub().subscribe("room", bob));
		// what expiry leaves when no $disconnect came: the topic's and the user's sets
		ReactiveStringRedisTemplate redis = template(this.resources);
		redis.delete(this.prefix + "channel:" + alice, this.prefix + "topics:" + alice).block();
		join(hub().publish("room", null, Map.of("n", 1)));
		assertThat(deliveredTo(alice)).isEmpty();
		assertThat(deliveredTo(bob)).hasSize(1);
		assertThat(redis.opsForSet().members(this.prefix + "topic:room").collectList().block()).containsExactly(bob);
		assertThat(join(hub().subscribers("room"))).extracting(TopicSubscriber::channelId).containsExactly(bob);
		assertThat(join(gatewayStore().channelsOfUser("alice"))).isEmpty();
		assertThat(redis.opsForSet().size(this.prefix + "user:alice").block()).isZero();
	}

}

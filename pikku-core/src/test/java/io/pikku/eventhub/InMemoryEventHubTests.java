package io.pikku.eventhub;

import io.pikku.store.ChannelStore;
import io.pikku.store.InMemoryChannelStore;
import io.pikku.test.EventHubContractTests;

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

	@org.junit.jupiter.api.Test
	void countsPublishesAndDeliveries() {
		InMemoryEventHub hub = (InMemoryEventHub) hub();
		String alice = connect("alice");
		String bob = connect("bob");
		join(hub.subscribe("t", alice));
		join(hub.subscribe("t", bob));
		join(hub.publish("t", alice, java.util.Map.of("n", 1)));
		join(hub.publish("t", null, java.util.Map.of("n", 2)));
		join(hub.publish("nobody", null, java.util.Map.of("n", 3)));
		org.assertj.core.api.Assertions.assertThat(hub.published()).isEqualTo(3);
		org.assertj.core.api.Assertions.assertThat(hub.delivered()).isEqualTo(3);
	}

	@Override
	protected AbstractEventHub createHub(ChannelStore store) {
		return new InMemoryEventHub(json, store);
	}

}

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

	@Override
	protected EventHub createHub(ChannelStore store) {
		return new InMemoryEventHub(json, store);
	}

}

package io.pikku.bench.server;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the load client asks a benchmark server: is it up, and how much heap does it use
 * after a full garbage collection. Served by Spring MVC and by WebFlux alike; the
 * collections (which wait) run on Reactor's {@code boundedElastic}, never on an event
 * loop.
 */
@RestController
class HeapEndpoint {

	@GetMapping("/bench/heap")
	Mono<Map<String, Object>> heap() {
		return Mono.fromCallable(HeapEndpoint::usedAfterCollections)
			.subscribeOn(Schedulers.boundedElastic())
			.map((used) -> Map.of("used", used));
	}

	private static long usedAfterCollections() throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		// A few collections until the figure settles: finalizable and soft garbage goes
		// too.
		for (int i = 0; i < 5; i++) {
			System.gc();
			Thread.sleep(100);
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

}

package io.pikku.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a process has used so far: CPU time (every thread: JIT and GC too) and, on Linux,
 * how many write system calls it made ({@code syscw} in {@code /proc/<pid>/io}; -1
 * elsewhere). The write calls per reply show whether a server (or the client) batches its
 * writes: one per reply means a flush per reply.
 *
 * @param cpuNanos CPU time
 * @param writes write system calls, or -1 if not known
 */
record Usage(long cpuNanos, long writes) {

	/**
	 * The usage of another process, e.g. a server.
	 * @param process the process
	 * @return its usage so far
	 */
	static Usage of(ProcessHandle process) {
		return new Usage(process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L), writes(process.pid()));
	}

	/**
	 * The usage of this JVM: the load client's.
	 * @return its usage so far
	 */
	static Usage ofThisProcess() {
		long cpu = (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
				? os.getProcessCpuTime() : 0L;
		return new Usage(cpu, writes(ProcessHandle.current().pid()));
	}

	/**
	 * CPU microseconds per event since an earlier reading.
	 * @param before the earlier reading
	 * @param events how many calls or deliveries happened in between
	 * @return microseconds per event
	 */
	double cpuMicrosPer(Usage before, long events) {
		return (this.cpuNanos - before.cpuNanos) / 1e3 / Math.max(1, events);
	}

	/**
	 * Write system calls per event since an earlier reading.
	 * @param before the earlier reading
	 * @param events how many calls or deliveries happened in between
	 * @return writes per event, or NaN if not known
	 */
	double writesPer(Usage before, long events) {
		if (this.writes < 0 || before.writes < 0) {
			return Double.NaN;
		}
		return (this.writes - before.writes) / (double) Math.max(1, events);
	}

	private static long writes(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
				if (line.startsWith("syscw:")) {
					return Long.parseLong(line.substring("syscw:".length()).trim());
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux, or not readable
		}
		return -1;
	}

}

package io.pikku.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a process has used so far: CPU time (every thread: JIT and GC too) and, on Linux,
 * how many write system calls it made ({@code syscw} in {@code /proc/<pid>/io}; -1
 * elsewhere) and the CPU time of its JIT compiler threads. The write calls per reply show
 * whether a server (or the client) batches its writes: one per reply means a flush per
 * reply. The compiler's time in a measured window shows whether a server was still being
 * compiled there, and so whether the window measured its compiled code.
 *
 * @param cpuNanos CPU time
 * @param writes write system calls, or -1 if not known
 * @param compilerNanos CPU time of the C1 and C2 compiler threads, or -1 if not known
 */
record Usage(long cpuNanos, long writes, long compilerNanos) {

	/**
	 * The kernel's clock ticks per second, in which {@code /proc} gives a thread's CPU
	 * time.
	 */
	private static final long TICKS_PER_SECOND = 100;

	/**
	 * The usage of another process, e.g. a server.
	 * @param process the process
	 * @return its usage so far
	 */
	static Usage of(ProcessHandle process) {
		return new Usage(process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L), writes(process.pid()),
				compilerNanos(process.pid()));
	}

	/**
	 * The usage of this JVM: the load client's.
	 * @return its usage so far
	 */
	static Usage ofThisProcess() {
		long cpu = (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
				? os.getProcessCpuTime() : 0L;
		long pid = ProcessHandle.current().pid();
		return new Usage(cpu, writes(pid), compilerNanos(pid));
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

	/**
	 * CPU microseconds of the JIT compiler threads per event since an earlier reading.
	 * @param before the earlier reading
	 * @param events how many calls or deliveries happened in between
	 * @return microseconds per event, or NaN if not known
	 */
	double compilerMicrosPer(Usage before, long events) {
		if (this.compilerNanos < 0 || before.compilerNanos < 0) {
			return Double.NaN;
		}
		return (this.compilerNanos - before.compilerNanos) / 1e3 / Math.max(1, events);
	}

	/**
	 * The CPU time of a process's compiler threads (HotSpot names them
	 * {@code C1 CompilerThread0}, {@code C2 CompilerThread0} ...; {@code /proc} cuts a
	 * thread's name to 15 characters), summed over those alive now: HotSpot may stop a
	 * compiler thread it no longer needs, whose time then leaves the sum.
	 */
	static long compilerNanos(long pid) {
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
			long ticks = 0;
			for (Path task : tasks) {
				try {
					String name = Files.readString(task.resolve("comm"));
					if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
						ticks += cpuTicks(Files.readString(task.resolve("stat")));
					}
				}
				catch (IOException ex) {
					// the thread ended
				}
			}
			return ticks * (1_000_000_000L / TICKS_PER_SECOND);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * A thread's user and system time from its {@code stat} line: fields 14 and 15,
	 * counted after the name in parentheses (which may hold spaces).
	 */
	static long cpuTicks(String stat) {
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
		// fields[0] is the third field (the state): utime is the 14th, stime the 15th
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/**
	 * The CPU time every process on the machine has used so far (the busy time of every
	 * core in {@code /proc/stat}), so that a measured window can tell how much of the
	 * machine went neither to the server nor to the client.
	 * @return nanoseconds, or -1 if not known
	 */
	static long machineBusyNanos() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
				if (line.startsWith("cpu ")) {
					return machineBusyTicks(line) * (1_000_000_000L / TICKS_PER_SECOND);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux, or not readable
		}
		return -1;
	}

	/**
	 * The busy ticks of the machine's {@code cpu} line: user, nice, system, irq, softirq
	 * and steal (idle and iowait are not busy; guest time is counted in user already).
	 */
	static long machineBusyTicks(String cpuLine) {
		String[] fields = cpuLine.trim().split("\\s+");
		long busy = 0;
		for (int field : new int[] { 1, 2, 3, 6, 7, 8 }) {
			if (field < fields.length) {
				busy += Long.parseLong(fields[field]);
			}
		}
		return busy;
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

package io.pikku.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link Usage} reads from {@code /proc}.
 */
class UsageTests {

	@Test
	void aThreadsCpuTicksAreItsUserAndSystemTimeCountedAfterItsNameWhateverTheNameHolds() {
		String stat = "4711 (C2 Compiler) (x) S 1 4711 4711 0 -1 4194368 1200 0 3 0 250 30 0 0 20 0 44 0 2048";
		assertThat(Usage.cpuTicks(stat)).isEqualTo(280);
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void theCompilerThreadsOfARunningJvmAreReadAndAProcessThatIsNotThereIsUnknown() {
		// -1 also when a thread's stat line cannot be parsed
		assertThat(Usage.compilerNanos(ProcessHandle.current().pid())).isNotNegative();
		assertThat(Usage.compilerNanos(Long.MAX_VALUE)).isEqualTo(-1);
	}

	@Test
	void theMachinesBusyTicksLeaveOutIdleAndIowaitAndCountGuestTimeOnce() {
		// user nice system idle iowait irq softirq steal guest guest_nice
		assertThat(Usage.machineBusyTicks("cpu  100 2 30 5000 7 1 4 6 50 0")).isEqualTo(143);
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void theMachinesBusyTimeIsReadOnLinux() {
		assertThat(Usage.machineBusyNanos()).isPositive();
	}

}

package io.batchyard.launcher.trigger.schedule;

import java.util.List;

import io.batchyard.launcher.trigger.schedule.ScheduledLaunches.FireOutcome;
import io.batchyard.launcher.trigger.schedule.ScheduledLaunches.ScheduleView;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The schedules, and "trigger now".
 */
@RestController
@RequestMapping("/api/schedules")
class SchedulesController {

	private final ScheduledLaunches launches;

	SchedulesController(ScheduledLaunches launches) {
		this.launches = launches;
	}

	@GetMapping
	List<ScheduleView> schedules() {
		return this.launches.schedules();
	}

	@PostMapping("/{name}/trigger")
	FireOutcome trigger(@PathVariable String name) {
		return this.launches.triggerNow(name);
	}

}

package io.batchyard.launcher.launch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.batchyard.jobs.launch.LaunchRequest;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.awaitility.Awaitility.await;

/**
 * Releases callers of the launch service together and collects what each got. Kept out of
 * the test classes: {@code @SpringBatchTest} takes any method of a test class that
 * returns a {@code JobExecution} (lambdas included) for a job-scope factory.
 */
final class LaunchRace {

	private LaunchRace() {
	}

	record Result(List<JobExecution> started, List<Throwable> failures) {
	}

	static Result launch(ExecutorService callers, int count, JobLaunchService service, LaunchRequest request)
			throws InterruptedException {
		List<Callable<JobExecution>> attempts = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			attempts.add(() -> service.launch(request));
		}
		return run(callers, attempts);
	}

	static Result restart(ExecutorService callers, int count, JobLaunchService service, long executionId)
			throws InterruptedException {
		List<Callable<JobExecution>> attempts = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			attempts.add(() -> service.restart(executionId));
		}
		return run(callers, attempts);
	}

	static Result launchAll(ExecutorService callers, JobLaunchService service, List<LaunchRequest> requests)
			throws InterruptedException {
		return run(callers,
				requests.stream().<Callable<JobExecution>>map((request) -> () -> service.launch(request)).toList());
	}

	/**
	 * Waits until the execution ended and its job thread is done: Spring Batch saves the
	 * end time before the job's listeners write the exit description.
	 */
	static JobExecution awaitEnd(JobRepository jobRepository, ThreadPoolTaskExecutor jobThreads, long executionId) {
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> (jobThreads.getActiveCount() == 0) ? jobRepository.getJobExecution(executionId) : null,
					(execution) -> execution != null && execution.getEndTime() != null);
	}

	private static Result run(ExecutorService callers, List<Callable<JobExecution>> attempts)
			throws InterruptedException {
		CyclicBarrier start = new CyclicBarrier(attempts.size());
		List<Future<JobExecution>> futures = new ArrayList<>();
		for (Callable<JobExecution> attempt : attempts) {
			futures.add(callers.submit(() -> {
				start.await(10, TimeUnit.SECONDS);
				return attempt.call();
			}));
		}
		List<JobExecution> started = new ArrayList<>();
		List<Throwable> failures = new ArrayList<>();
		for (Future<JobExecution> future : futures) {
			try {
				started.add(future.get(30, TimeUnit.SECONDS));
			}
			catch (ExecutionException ex) {
				failures.add(ex.getCause());
			}
			catch (TimeoutException ex) {
				failures.add(ex);
			}
		}
		return new Result(started, failures);
	}

}

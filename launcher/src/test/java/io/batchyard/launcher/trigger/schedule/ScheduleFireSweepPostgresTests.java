package io.batchyard.launcher.trigger.schedule;

import io.batchyard.launcher.support.PostgresTest;

@PostgresTest
class ScheduleFireSweepPostgresTests extends ScheduleFireSweepTests {

}

package io.batchyard.launcher.launch;

class ConcurrentLaunchH2Tests extends ConcurrentLaunchTests {

}

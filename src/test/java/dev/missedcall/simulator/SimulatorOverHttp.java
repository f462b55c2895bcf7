package dev.missedcall.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh simulator on a random port for each test, and a plain HTTP client for it. */
abstract class SimulatorOverHttp {

    protected CheckMobiSimulator simulator;
    protected ApiClient client;

    @BeforeEach
    void startSimulator() {
        simulator = CheckMobiSimulator.start("127.0.0.1", 0, ApiClient.SECRET_KEY);
        client = new ApiClient(simulator);
    }

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }
}

package io.phantomdb.server.pgwire;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.dispatch.Dispatcher;
import org.apache.pekko.dispatch.Dispatchers;
import org.apache.pekko.dispatch.ExecutorServiceFactoryProvider;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.apache.pekko.dispatch.MessageDispatcherConfigurator;
import scala.concurrent.duration.FiniteDuration;

/**
 * One Pekko dispatcher per selector thread, registered under a fresh id with the actor system
 * ({@code Dispatchers.registerConfigurator}), whose executor is a {@link LoopExecutor}: a connection's stream
 * materialized with {@code ActorAttributes.dispatcher(id)} runs on its selector thread ({@code nio-execution =
 * selector}, docs/pgwire.md "Transport"). Built in code rather than from HOCON, so nothing static has to map a
 * config entry back to a loop. Pekko has no way to unregister a dispatcher: a stopped server leaves its (idle) entries
 * behind, one per selector thread, which is why ids are unique per server.
 */
final class SelectorDispatchers {
    private static final AtomicLong SERVERS = new AtomicLong();

    private SelectorDispatchers() {}

    /** Registers a dispatcher for each of {@code loops}; returns their ids, in the same order. */
    static List<String> register(ActorSystem system, List<SelectorLoop> loops) {
        Dispatchers dispatchers = system.dispatchers();
        long server = SERVERS.incrementAndGet();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            String id = "phantom-pgwire-selector-" + server + "-" + i;
            // the default dispatcher's settings (throughput, mailbox) with this id; only the executor differs
            Config config = ConfigFactory.parseMap(Map.of("id", id)).withFallback(dispatchers.defaultDispatcherConfig());
            SelectorLoop loop = loops.get(i);
            if (!dispatchers.registerConfigurator(id, new Configurator(config, dispatchers, loop))) {
                throw new IllegalStateException("dispatcher " + id + " is registered already");
            }
            ids.add(id);
        }
        return ids;
    }

    /** Makes the one dispatcher of a loop (Pekko asks for it at each lookup; it must be the same instance). */
    private static final class Configurator extends MessageDispatcherConfigurator {
        private final Dispatcher dispatcher;

        Configurator(Config config, Dispatchers dispatchers, SelectorLoop loop) {
            super(config, dispatchers.prerequisites());
            ExecutorServiceFactoryProvider executor = (id, threadFactory) -> () -> new LoopExecutor(loop);
            dispatcher = new Dispatcher(this, config.getString("id"), config.getInt("throughput"),
                    FiniteDuration.apply(config.getDuration("throughput-deadline-time", TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS),
                    executor,
                    FiniteDuration.apply(config.getDuration("shutdown-timeout", TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS));
        }

        @Override
        public MessageDispatcher dispatcher() {
            return dispatcher;
        }
    }
}

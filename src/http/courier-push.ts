import { handlePush } from "../radar/ingest.js";
import { BODY_LIMITS, type RouteModule } from "./body.js";

/**
 * `POST /couriers/<kind>/push`: one route per configured tracking provider (kuaidi100, 17track, kdniao).
 * The signature is checked on the raw body; the answer is in the format the provider expects (Kuaidi100
 * `{"result":true,"returnCode":"200"}`, Kdniao `{"EBusinessID",…,"Success":true}`, 17TRACK HTTP 200).
 */
export const registerCourierRoutes: RouteModule = (app, deps) => {
  app.post<{ Params: { kind: string } }>(
    "/couriers/:kind/push",
    { bodyLimit: BODY_LIMITS.courierPush },
    async (req, reply) => {
      const adapter = deps.couriers.get(req.params.kind);
      if (!adapter?.parsePush)
        return reply.code(404).send({ error: `no courier provider "${req.params.kind.slice(0, 20)}" is configured` });
      const result = handlePush(deps, adapter, { headers: req.headers, rawBody: req.rawBody ?? Buffer.alloc(0) });
      return reply.code(result.reply.status).header("content-type", result.reply.contentType).send(result.reply.body);
    },
  );
};

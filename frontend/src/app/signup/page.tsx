import { AuthForm } from "@/features/auth/AuthForm";

export default function SignupPage() {
  return <AuthForm mode="signup" />;
}
